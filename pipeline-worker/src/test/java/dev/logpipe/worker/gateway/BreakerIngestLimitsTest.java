package dev.logpipe.worker.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Adversarial review: the 16 MiB byte limit let one request hold two million tiny records; the
 * record count is bounded too, for lines and for JSON arrays, before anything is parsed.
 */
class BreakerIngestLimitsTest {
  private static final int MAX = RequestBodies.MAX_RECORDS;

  @Test
  void theLimitItselfIsAccepted() {
    byte[] lines = "{}\n".repeat(MAX).getBytes(StandardCharsets.UTF_8);
    assertThat(RequestBodies.split(lines, null, true)).hasSize(MAX);
    byte[] array = ("[" + "{},".repeat(MAX - 1) + "{}]").getBytes(StandardCharsets.UTF_8);
    assertThat(RequestBodies.split(array, "application/json", true)).hasSize(MAX);
  }

  @Test
  void oneRecordMoreIsRefusedNamingTheLimit() {
    byte[] lines = "{}\n".repeat(MAX + 1).getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> RequestBodies.split(lines, "application/x-ndjson", true))
        .isInstanceOf(PayloadTooLarge.class)
        .hasMessage("the body holds more than 100000 records; send at most 100000 per request");
    byte[] array = ("[" + "\"x\",".repeat(MAX) + "\"x\"]").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> RequestBodies.split(array, "application/json", false))
        .isInstanceOf(PayloadTooLarge.class);
  }

  @Test
  void blankLinesDoNotCount() {
    byte[] lines = ("{}\n" + "\n  \n".repeat(MAX)).getBytes(StandardCharsets.UTF_8);
    assertThat(RequestBodies.split(lines, null, true)).hasSize(1);
  }
}
