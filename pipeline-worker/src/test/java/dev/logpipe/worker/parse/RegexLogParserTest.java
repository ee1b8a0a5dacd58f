package dev.logpipe.worker.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.model.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegexLogParserTest {

  /** nginx combined-style access log. */
  private static final String NGINX =
      "^(?<host>\\S+) \\S+ (?<user>\\S+) \\[(?<ts>[^\\]]+)\\] \"(?<message>[^\"]*)\""
          + " (?<status>\\d{3}) (?<bytes>\\d+) (?<latency>\\S+)$";

  private static final LogParser PARSER =
      LogParser.forFormat(
          new PipelineConfig.Format("regex", NGINX, null, "nginx"), ParseLimits.DEFAULTS);

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '#',
      value = {
        "10.0.0.1 - alice [28/Mar/2025:10:00:00 +0000] \"GET /x HTTP/1.1\" 200 512 0.012s"
            + " # timestamp=2025-03-28T10:00:00Z|host=10.0.0.1|message=GET /x HTTP/1.1"
            + "|status_code=200|latency_ms=12.0|service=nginx|attributes={user=alice, bytes=512}",
        "10.0.0.2 - - [28/Mar/2025:12:00:00 +0200] \"POST /y HTTP/1.1\" 503 0 3500"
            + " # timestamp=2025-03-28T10:00:00Z|status_code=503|latency_ms=3500.0",
      })
  void normalises(String line, String expected) {
    ParseResult r = PARSER.parse(line.getBytes(StandardCharsets.UTF_8), 0);
    assertThat(r.rejection()).isNull();
    assertThat(Rendered.of(r.event())).containsAllEntriesOf(Rendered.expect(expected));
  }

  @Test
  void groupNamesMapThroughFormatFields() {
    LogParser parser =
        LogParser.forFormat(
            new PipelineConfig.Format(
                "regex",
                "(?<when>\\S+ \\S+) (?<sev>\\w+) \\[(?<traceId>\\w+)\\] (?<text>.*)",
                Map.of("timestamp", "when", "level", "sev", "message", "text"),
                null));
    ParseResult r =
        parser.parse(
            "2025-03-28 10:00:00.123 WARN [t42] cache miss".getBytes(StandardCharsets.UTF_8), 0);
    assertThat(Rendered.of(r.event()))
        .containsAllEntriesOf(
            Rendered.expect(
                "timestamp=2025-03-28T10:00:00.123Z|level=WARN|trace_id=t42|message=cache miss"
                    + "|attributes={}"));
  }

  @Test
  void aLineThatDoesNotMatchIsRejected() {
    ParseResult r = PARSER.parse("not an access log".getBytes(StandardCharsets.UTF_8), 0);
    assertThat(r.rejection().reason()).isEqualTo(Rejection.Reason.REGEX_NO_MATCH);
  }

  @Test
  void onlyRealNamedGroupsAreRead() {
    assertThat(RegexLogParser.groupNames("\\Q(?<fake>\\E (?<real>y) \\(?<escaped>z\\) (?P<also>w)"))
        .containsExactly("real", "also");
  }

  @Test
  void aPatternWithoutNamedGroupsFailsAtBuildTime() {
    assertThatThrownBy(
            () -> LogParser.forFormat(new PipelineConfig.Format("regex", "(\\w+)", null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format.pattern");
  }
}
