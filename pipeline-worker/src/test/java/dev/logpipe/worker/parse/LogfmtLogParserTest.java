package dev.logpipe.worker.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.worker.config.PipelineConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogfmtLogParserTest {

  private static final LogParser PARSER =
      LogParser.forFormat(new PipelineConfig.Format("logfmt", null, null, null));

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '#',
      value = {
        "ts=2025-03-28T10:00:00Z level=info service=api msg=hello"
            + " # timestamp=2025-03-28T10:00:00Z|level=INFO|service=api|message=hello|attributes={}",
        "time=\"2025-03-28 10:00:00,250\" lvl=ERR msg=\"disk \\\"sda\\\" full\\tretrying\""
            + " host=db-1 # timestamp=2025-03-28T10:00:00.250Z|level=ERROR|host=db-1"
            + "|message=disk \"sda\" full\tretrying",
        "ts=1743156000 status=502 latency=120ms user=bob cached"
            + " # status_code=502|latency_ms=120.0|attributes={user=bob, cached=true}",
        "ts=1743156000 trace.id=t-9 error.code=E1 path=/a?b=c empty="
            + " # trace_id=t-9|error_code=E1|attributes={path=/a?b=c, empty=}",
        "ts=1743156000 msg=\"unterminated quote runs to the end"
            + " # message=unterminated quote runs to the end",
        "  ts=1743156000\tlevel=warn   msg=tabs  # level=WARN|message=tabs",
        "ts=1743156000 msg=\"back\\\\slash\" # message=back\\slash",
      })
  void normalises(String line, String expected) {
    ParseResult r = PARSER.parse(line.getBytes(StandardCharsets.UTF_8), 0);
    assertThat(r.rejection()).isNull();
    assertThat(Rendered.of(r.event())).containsAllEntriesOf(Rendered.expect(expected));
  }

  @Test
  void escapedNewlineAndCrlfLineEnd() {
    ParseResult r =
        PARSER.parse("msg=\"a\\nb\" level=warn\r\n".getBytes(StandardCharsets.UTF_8), 0);
    assertThat(r.event().message()).isEqualTo("a\nb");
    assertThat(r.event().level()).isEqualTo("WARN");
  }
}
