package dev.logpipe.worker.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.config.PipelineConfigLoader;
import dev.logpipe.worker.model.LogEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Event timestamps that would store an invisible or doomed row (overflow, zero, negative, far in
 * the future, older than the table's retention) are replaced by the Kafka record time, and the
 * reason is kept in {@code _timestamp_error}: nothing silently expires by TTL or hides from "last
 * 24 h".
 */
class TimestampBoundsTest {
  private static final long RECORD_MS = Instant.parse("2026-12-03T10:00:00Z").toEpochMilli();
  private static final long DAY_MS = 86_400_000L;

  /** A pipeline whose table keeps 14 days, as the operator writes it. */
  private static final PipelineConfig PIPELINE =
      PipelineConfigLoader.withDefaults(
          new PipelineConfig(
              new PipelineConfig.Pipeline("ns", "p"),
              new PipelineConfig.Kafka("127.0.0.1:9092", "t", "g", null, null),
              new PipelineConfig.ClickHouse("http://127.0.0.1:8123", "db", "p", 14),
              null,
              null,
              null,
              null));

  private static final LogParser PARSER = LogParser.forPipeline(PIPELINE);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "9223372036854775808", // one past Long.MAX_VALUE: used to wrap to 1970
        "99999999999999999999",
        "0",
        "-1",
        "-1743156000",
        "\"1969-12-31T23:59:59Z\"",
        "\"2030-01-01T00:00:00Z\"", // invisible to every default 24 h query until 2030
        "\"2026-12-04T10:00:01Z\"", // one day and one second ahead
        "\"2026-11-18T09:59:59Z\"" // 15 days old: the 14-day TTL would drop it at the next merge
      })
  void outOfBoundsTimestampsBecomeTheRecordTimeWithTheReason(String ts) {
    LogEvent e = parse(PARSER, ts);
    assertThat(Instant.ofEpochMilli(e.timestampMs())).isEqualTo(Instant.ofEpochMilli(RECORD_MS));
    assertThat(e.attributes())
        .as("the reason stays with the row")
        .containsKey(EventNormalizer.TIMESTAMP_ERROR);
    assertThat(e.attributes().get(EventNormalizer.TIMESTAMP_ERROR)).contains(ts.replace("\"", ""));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"2026-12-04T09:59:59Z\"", // just under a day ahead (clock skew)
        "\"2026-11-19T10:00:01Z\"", // just inside the retention
        "1796292000" // 2026-12-03T10:00:00Z in seconds
      })
  void timestampsWithinTheBoundsAreKept(String ts) {
    LogEvent e = parse(PARSER, ts);
    assertThat(e.attributes()).doesNotContainKey(EventNormalizer.TIMESTAMP_ERROR);
    assertThat(Math.abs(e.timestampMs() - RECORD_MS)).isLessThan(15 * DAY_MS);
  }

  @Test
  void theReasonNamesTheBound() {
    assertThat(parse(PARSER, "\"2030-01-01T00:00:00Z\"").attributes())
        .containsEntry(
            EventNormalizer.TIMESTAMP_ERROR,
            "ts 2030-01-01T00:00:00Z is more than 1 day after the record's Kafka time");
    assertThat(parse(PARSER, "\"2026-11-01T00:00:00Z\"").attributes())
        .containsEntry(
            EventNormalizer.TIMESTAMP_ERROR,
            "ts 2026-11-01T00:00:00Z is older than the table's retention (14 days) at the record's"
                + " Kafka time");
    assertThat(parse(PARSER, "0").attributes())
        .containsEntry(EventNormalizer.TIMESTAMP_ERROR, "ts 0 is not after 1970-01-01T00:00:00Z");
  }

  @Test
  void theFutureSkewIsConfigurableAndWithoutARetentionOldEventsAreKept() {
    PipelineConfig.Format oneHour = new PipelineConfig.Format("json", null, null, null, 3_600L);
    LogParser parser =
        LogParser.forPipeline(
            new PipelineConfig(
                PIPELINE.pipeline(),
                PIPELINE.kafka(),
                new PipelineConfig.ClickHouse("http://127.0.0.1:8123", "db", "p"),
                null,
                oneHour,
                PIPELINE.anomalies(),
                PIPELINE.batch()));
    assertThat(parse(parser, "\"2026-12-03T12:00:00Z\"").attributes())
        .containsEntry(
            EventNormalizer.TIMESTAMP_ERROR,
            "ts 2026-12-03T12:00:00Z is more than 1 h after the record's Kafka time");
    assertThat(parse(parser, "\"2020-01-01T00:00:00Z\"").timestampMs())
        .isEqualTo(Instant.parse("2020-01-01T00:00:00Z").toEpochMilli());
  }

  @Test
  void aLongOverflowIsNotATimestamp() {
    assertThat(TimestampParser.parse("9223372036854775808")).isEqualTo(TimestampParser.INVALID);
    assertThat(TimestampParser.parse("9223372036854775807"))
        .as("Long.MAX_VALUE as nanoseconds is 2262, within the type's range")
        .isEqualTo(9_223_372_036_854L);
  }

  @Test
  void aJsonErrorNamesTheBytePositionInsteadOfCharMinusOne() {
    ParseResult r = PARSER.parse("{\"a\": 1,, \"b\": 2}".getBytes(StandardCharsets.UTF_8), 0);
    assertThat(r.isOk()).isFalse();
    assertThat(r.rejection().detail())
        .doesNotContain("-1")
        .contains("at byte 8 (line 1, column 9)");
  }

  private static LogEvent parse(LogParser parser, String ts) {
    ParseResult r =
        parser.parse(
            ("{\"ts\":" + ts + ",\"msg\":\"m\"}").getBytes(StandardCharsets.UTF_8), RECORD_MS);
    assertThat(r.isOk()).as("%s", r.rejection()).isTrue();
    return r.event();
  }
}
