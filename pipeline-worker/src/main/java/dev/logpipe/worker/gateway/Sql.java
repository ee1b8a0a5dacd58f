package dev.logpipe.worker.gateway;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Value formats for bound parameters. */
final class Sql {
  private static final DateTimeFormatter DATETIME64 =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  /** The event columns every row-returning query selects, in this order. */
  static final String EVENT_COLUMNS =
      "toUnixTimestamp64Milli(timestamp) AS ts, service, level, message, host, trace_id, status_code,"
          + " latency_ms, error_code, attributes, anomaly_score, anomaly_reasons, _partition, _offset";

  private Sql() {}

  static String timestamp(Instant instant) {
    return DATETIME64.format(instant);
  }
}
