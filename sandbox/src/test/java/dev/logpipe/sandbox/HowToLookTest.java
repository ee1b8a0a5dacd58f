package dev.logpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.parse.LogParser;
import dev.logpipe.worker.parse.ParseResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The printed POST example stores an event a user then finds with the default queries. */
class HowToLookTest {

  @Test
  void thePostExampleIsStampedWithTheCurrentTimeAndStoredAsIs() {
    Instant now = Instant.parse("2026-12-03T09:41:07.654Z");
    String example = HowToLook.postExample("tok", "http://127.0.0.1:1234", now);
    Matcher body = Pattern.compile("--data-binary '([^']*)'").matcher(example);
    assertThat(body.find()).as(example).isTrue();
    assertThat(body.group(1)).contains("\"ts\":\"2026-12-03T09:41:07Z\"");

    // The sample pipeline's parser keeps it: no _timestamp_error, the time as printed.
    ParseResult parsed =
        LogParser.forFormat(
                new PipelineConfig.Format(
                    "json",
                    null,
                    java.util.Map.of("timestamp", "ts", "level", "severity", "service", "app"),
                    null))
            .parse(body.group(1).getBytes(StandardCharsets.UTF_8), now.toEpochMilli());
    assertThat(parsed.isOk()).isTrue();
    assertThat(parsed.event().attributes()).doesNotContainKey("_timestamp_error");
    assertThat(parsed.event().timestampMs())
        .isEqualTo(Instant.parse("2026-12-03T09:41:07Z").toEpochMilli());
    assertThat(example).endsWith("http://127.0.0.1:1234/v1/logs" + System.lineSeparator());
  }
}
