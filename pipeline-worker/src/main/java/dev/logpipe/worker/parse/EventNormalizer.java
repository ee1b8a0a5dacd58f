package dev.logpipe.worker.parse;

import dev.logpipe.worker.model.LogEvent;

/**
 * Turns the raw field candidates of one record into a {@link LogEvent}. Nothing here drops a
 * record: a value that does not fit its column stays visible as an attribute.
 */
final class EventNormalizer {

  static final String TIMESTAMP_ERROR = "_timestamp_error";
  static final String LEVEL_RAW = "_level_raw";

  /** Bounds LowCardinality columns so one odd record cannot bloat their dictionaries. */
  static final int SHORT_COLUMN_CHARS = 256;

  private final String defaultService;
  private final TimestampBounds bounds;

  EventNormalizer(String defaultService) {
    this(defaultService, TimestampBounds.DEFAULTS);
  }

  EventNormalizer(String defaultService, TimestampBounds bounds) {
    this.bounds = bounds;
    this.defaultService =
        defaultService == null || defaultService.isBlank() ? "unknown" : defaultService.strip();
  }

  LogEvent toEvent(FieldCollector c, long kafkaTimestampMs) {
    LogEvent e = new LogEvent();
    timestamp(c, e, kafkaTimestampMs);
    level(c, e);
    String service = c.value(UnifiedField.SERVICE);
    e.service(
        service == null || service.isBlank() ? defaultService : shortColumn(c, service, "service"));
    String message = c.value(UnifiedField.MESSAGE);
    e.message(message);
    e.host(shortColumn(c, c.value(UnifiedField.HOST), "host"));
    e.traceId(shortColumn(c, c.value(UnifiedField.TRACE_ID), "trace_id"));
    e.errorCode(shortColumn(c, c.value(UnifiedField.ERROR_CODE), "error_code"));
    String status = c.value(UnifiedField.STATUS_CODE);
    if (status != null) {
      int code = Numbers.parseStatus(status);
      if (code > 0) {
        e.statusCode(code);
      } else {
        c.attribute(c.sourceKey(UnifiedField.STATUS_CODE), status);
      }
    }
    String latency = c.value(UnifiedField.LATENCY_MS);
    if (latency != null) {
      double ms = Numbers.parseLatencyMs(latency);
      if (!Double.isNaN(ms)) {
        e.latencyMs(ms);
      } else {
        c.attribute(c.sourceKey(UnifiedField.LATENCY_MS), latency);
      }
    }
    e.attributes(c.finishAttributes());
    return e;
  }

  private void timestamp(FieldCollector c, LogEvent e, long kafkaTimestampMs) {
    String raw = c.value(UnifiedField.TIMESTAMP);
    // The Kafka timestamp, not the wall clock: a replay must produce the same row. Only records
    // without one (pre-0.10 producers) fall back to the clock, since 1970 would expire by TTL.
    long recordMs = kafkaTimestampMs > 0 ? kafkaTimestampMs : System.currentTimeMillis();
    long ms = TimestampParser.parse(raw);
    String problem;
    if (raw == null) {
      problem = "missing";
    } else if (ms == TimestampParser.INVALID) {
      problem = "unparseable " + c.sourceKey(UnifiedField.TIMESTAMP) + ": " + raw;
    } else {
      String outOfBounds = bounds.problem(ms, recordMs);
      if (outOfBounds == null) {
        e.timestampMs(ms);
        return;
      }
      problem = c.sourceKey(UnifiedField.TIMESTAMP) + " " + raw + " is " + outOfBounds;
    }
    e.timestampMs(recordMs);
    c.note(TIMESTAMP_ERROR, problem);
  }

  private static void level(FieldCollector c, LogEvent e) {
    String raw = c.value(UnifiedField.LEVEL);
    if (raw == null) {
      e.level("INFO");
      return;
    }
    String level = LevelNormalizer.normalize(raw);
    if (level == null) {
      e.level("INFO");
      c.note(LEVEL_RAW, raw);
    } else {
      e.level(level);
    }
  }

  private static String shortColumn(FieldCollector c, String value, String column) {
    return value == null ? null : c.cut(value, SHORT_COLUMN_CHARS, column);
  }
}
