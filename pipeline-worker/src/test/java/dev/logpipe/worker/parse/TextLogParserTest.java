package dev.logpipe.worker.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.worker.config.PipelineConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextLogParserTest {

  private static final LogParser PARSER =
      LogParser.forFormat(new PipelineConfig.Format("text", null, null, "legacy"));

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '#',
      value = {
        "2025-03-28 10:00:00,123 ERROR [main] c.e.App - boom"
            + " # timestamp=2025-03-28T10:00:00.123Z|level=ERROR"
            + "|message=2025-03-28 10:00:00,123 ERROR [main] c.e.App - boom|attributes={}",
        "2025-03-28T10:00:01Z [warn] disk almost full"
            + " # timestamp=2025-03-28T10:00:01Z|level=WARN|service=legacy",
        "WARNING: deprecated flag # level=WARN|message=WARNING: deprecated flag"
            + "|timestamp=2025-03-28T10:00:00Z|attributes={_timestamp_error=missing}",
        "Fine tuning finished # level=INFO|message=Fine tuning finished",
        "200 OK # level=INFO|message=200 OK",
      })
  void normalises(String line, String expected) {
    // A real record time: timestamps more than a day away from it are replaced.
    ParseResult r = PARSER.parse(line.getBytes(StandardCharsets.UTF_8), JsonLogParserTest.KAFKA_TS);
    assertThat(r.rejection()).isNull();
    assertThat(Rendered.of(r.event())).containsAllEntriesOf(Rendered.expect(expected));
  }

  @Test
  void trailingLineEndIsNotPartOfTheMessage() {
    ParseResult r = PARSER.parse("hello world \r\n".getBytes(StandardCharsets.UTF_8), 0);
    assertThat(r.event().message()).isEqualTo("hello world");
  }
}
