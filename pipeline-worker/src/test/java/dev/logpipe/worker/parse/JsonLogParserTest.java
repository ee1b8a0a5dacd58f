package dev.logpipe.worker.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.worker.config.PipelineConfig;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonLogParserTest {

  static final long KAFKA_TS = 1_743_156_000_000L; // 2025-03-28T10:00:00Z

  private static final LogParser PLAIN =
      LogParser.forFormat(new PipelineConfig.Format("json", null, null, "fallback-svc"));

  static Stream<Arguments> lines() {
    return Stream.of(
        Arguments.of(
            "{\"ts\":\"2025-03-28T10:00:01.5Z\",\"level\":\"warning\",\"service\":\"api\","
                + "\"msg\":\"slow\",\"host\":\"node-1\",\"trace_id\":\"abc\",\"status\":503,"
                + "\"latency_ms\":3200.5,\"error_code\":\"E42\"}",
            "timestamp=2025-03-28T10:00:01.500Z|level=WARN|service=api|message=slow|host=node-1"
                + "|trace_id=abc|status_code=503|latency_ms=3200.5|error_code=E42|attributes={}"),
        Arguments.of(
            "{\"@timestamp\":1743156002,\"severity\":\"ERR\",\"app\":\"web\",\"message\":\"x\"}",
            "timestamp=2025-03-28T10:00:02Z|level=ERROR|service=web|message=x|attributes={}"),
        Arguments.of(
            "{\"time\":\"1743156003123\",\"lvl\":30,\"service\":{\"name\":\"pay\"},\"msg\":\"ok\"}",
            "timestamp=2025-03-28T10:00:03.123Z|level=INFO|service=pay|attributes={}"),
        Arguments.of(
            "{\"log\":{\"level\":\"debug\"},\"http\":{\"status\":\"404\"},\"trace\":{\"id\":\"t1\"},"
                + "\"error\":{\"code\":\"NOT_FOUND\"},\"msg\":\"m\"}",
            "level=DEBUG|status_code=404|trace_id=t1|error_code=NOT_FOUND|service=fallback-svc"),
        Arguments.of(
            "{\"msg\":\"nested\",\"user\":{\"id\":7,\"geo\":{\"country\":\"FR\"}},\"ok\":true,"
                + "\"tags\":[\"a\",1,{\"b\":null}],\"nothing\":null,\"f\":1.5e3}",
            "message=nested|attributes={user.id=7, user.geo.country=FR, ok=true,"
                + " tags=[\"a\",1,{\"b\":null}], f=1.5e3, _timestamp_error=missing}"),
        Arguments.of(
            "{\"msg\":\"no ts\",\"level\":\"loud\"}",
            "timestamp=2025-03-28T10:00:00Z|level=INFO"
                + "|attributes={_timestamp_error=missing, _level_raw=loud}"),
        Arguments.of(
            "{\"ts\":\"last tuesday\",\"msg\":\"bad ts\"}",
            "timestamp=2025-03-28T10:00:00Z"
                + "|attributes={_timestamp_error=unparseable ts: last tuesday}"),
        Arguments.of(
            "{\"ts\":1743156000,\"status\":\"teapot\",\"latency\":\"1.2s\",\"msg\":\"m\"}",
            "status_code=null|latency_ms=1200.0|attributes={status=teapot}"),
        Arguments.of(
            "{\"ts\":1743156000,\"status\":700,\"duration_ms\":\"fast\",\"msg\":\"m\"}",
            "status_code=null|latency_ms=null|attributes={status=700, duration_ms=fast}"),
        Arguments.of(
            "{\"ts\":1743156000,\"timestamp\":\"2020-01-01T00:00:00Z\",\"message\":\"a\","
                + "\"msg\":\"b\"}",
            "timestamp=2025-03-28T10:00:00Z|message=b"
                + "|attributes={timestamp=2020-01-01T00:00:00Z, message=a}"),
        Arguments.of(
            "  {\"ts\":1743156000,\"msg\":\"padded\",\"latency_ms\":\"250ms\"}\n",
            "message=padded|latency_ms=250.0|attributes={}"),
        Arguments.of(
            "{\"ts\":1743156000,\"msg\":\"unicode é ✓ 😀\",\"service\":\"\"}",
            "message=unicode é ✓ 😀|service=fallback-svc"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("lines")
  void normalises(String line, String expected) {
    ParseResult r = PLAIN.parse(line.getBytes(StandardCharsets.UTF_8), KAFKA_TS);
    assertThat(r.rejection()).isNull();
    assertThat(Rendered.of(r.event())).containsAllEntriesOf(Rendered.expect(expected));
  }

  @Test
  void explicitMappingByDottedPathWinsAndFallbacksBecomeAttributes() {
    LogParser parser =
        LogParser.forFormat(
            new PipelineConfig.Format(
                "json",
                null,
                Map.of(
                    "service", "kubernetes.labels.app",
                    "message", "payload.text",
                    "level", "sev"),
                null));
    String line =
        "{\"kubernetes\":{\"labels\":{\"app\":\"checkout\"},\"pod\":\"p-1\"},"
            + "\"service\":\"ignored\",\"payload\":{\"text\":\"hello\"},\"sev\":\"E\","
            + "\"level\":\"info\"}";
    ParseResult r = parser.parse(line.getBytes(StandardCharsets.UTF_8), KAFKA_TS);
    assertThat(Rendered.of(r.event()))
        .containsAllEntriesOf(
            Rendered.expect(
                "service=checkout|message=hello|level=ERROR|attributes={kubernetes.pod=p-1,"
                    + " service=ignored, level=info, _timestamp_error=missing}"));
  }

  @Test
  void defaultServiceIsUnknownWhenNotConfigured() {
    ParseResult r =
        LogParser.forFormat(new PipelineConfig.Format("json", null, null, null))
            .parse("{\"msg\":\"x\"}".getBytes(StandardCharsets.UTF_8), KAFKA_TS);
    assertThat(r.event().service()).isEqualTo("unknown");
  }

  @Test
  void attributesAreBoundedAndTruncationIsNoted() {
    LogParser parser =
        LogParser.forFormat(
            new PipelineConfig.Format("json", null, null, null),
            new ParseLimits(1 << 20, 32, 3, 16));
    String line =
        "{\"ts\":1743156000,\"a\":\"1\",\"b\":\"0123456789abcdefXYZ\",\"c\":\"3\",\"d\":\"4\","
            + "\"e\":\"5\"}";
    ParseResult r = parser.parse(line.getBytes(StandardCharsets.UTF_8), KAFKA_TS);
    assertThat(r.event().attributes())
        .containsExactly(
            Map.entry("a", "1"),
            Map.entry("b", "0123456789abcdef"),
            Map.entry("c", "3"),
            Map.entry("_attributes_dropped", "2"),
            Map.entry("_truncated", "b"));
  }

  @Test
  void longServiceIsCutToBoundLowCardinalityColumns() {
    String service = "s".repeat(1000);
    ParseResult r =
        PLAIN.parse(
            ("{\"ts\":1743156000,\"service\":\"" + service + "\"}")
                .getBytes(StandardCharsets.UTF_8),
            KAFKA_TS);
    assertThat(r.event().service()).hasSize(EventNormalizer.SHORT_COLUMN_CHARS);
    assertThat(r.event().attributes()).containsEntry("_truncated", "service");
  }
}
