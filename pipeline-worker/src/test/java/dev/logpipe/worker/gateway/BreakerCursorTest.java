package dev.logpipe.worker.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cursors are opaque but a client can forge one. Anything the API could not have returned is a 400
 * naming {@code cursor}, never a query ClickHouse cannot run.
 */
class BreakerCursorTest {
  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "9223372036854775807:0:0", // year 292278994
        "-9223372036854775808:0:0", // formatted without its sign as "year of era"
        "-62135596800001:0:0", // 1 BC
        "10413792000000:0:0", // 2300-01-01
        "1:0:0:0",
        "1:2147483648:0",
        "1:0:99999999999999999999",
        " 1:0:0",
      })
  void forgedCursorsAreBadRequests(String raw) {
    String forged =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(raw.getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(() -> Cursor.decode(forged))
        .isInstanceOf(BadRequest.class)
        .hasMessageContaining("cursor");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "",
        "%%%",
        "4pyTIMOgIGxhIG1vZGU", // valid base64 of non-ASCII bytes
        "\uFFFD\uD800",
      })
  void undecodableCursorsAreBadRequests(String text) {
    assertThatThrownBy(() -> Cursor.decode(text)).isInstanceOf(BadRequest.class);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(longs = {-2208988800000L, 0L, 1764720000000L, 10413705600000L})
  void positionsTheApiCanReturnStillRoundTrip(long timestampMs) {
    Cursor c = new Cursor(timestampMs, 3, 42);
    assertThat(Cursor.decode(c.encode())).isEqualTo(c);
  }
}
