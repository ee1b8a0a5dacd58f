package dev.logpipe.worker.parse;

import dev.logpipe.worker.config.PipelineConfig;

/**
 * How far an event's own timestamp may lie from its Kafka record time before the record time is
 * used instead (with {@code _timestamp_error}): a timestamp far in the future hides the event from
 * every "last 24 h" query, one older than the table's retention is dropped by TTL at the next
 * merge. Compared with the record time, not the clock, so a replay stores the same row.
 *
 * @param maxFutureMs at most this far after the record time
 * @param maxPastMs at most this far before it; 0 means no bound (retention unknown)
 */
public record TimestampBounds(long maxFutureMs, long maxPastMs) {
  public static final long DEFAULT_MAX_FUTURE_SECONDS = 86_400;
  public static final TimestampBounds DEFAULTS =
      new TimestampBounds(DEFAULT_MAX_FUTURE_SECONDS * 1000, 0);

  /** The pipeline's bounds: its format's future skew, its table's retention. */
  public static TimestampBounds of(PipelineConfig config) {
    PipelineConfig.Format f = config.format();
    long future =
        f != null && f.maxFutureSkewSeconds() != null
            ? f.maxFutureSkewSeconds()
            : DEFAULT_MAX_FUTURE_SECONDS;
    Integer days = config.clickhouse() == null ? null : config.clickhouse().retentionDays();
    return new TimestampBounds(future * 1000, days == null ? 0 : days * 86_400_000L);
  }

  /** Why {@code ms} is out of bounds relative to {@code recordMs}, or null when it is not. */
  String problem(long ms, long recordMs) {
    if (ms <= 0) {
      return "not after 1970-01-01T00:00:00Z";
    }
    if (ms - recordMs > maxFutureMs) {
      return "more than " + human(maxFutureMs) + " after the record's Kafka time";
    }
    if (maxPastMs > 0 && recordMs - ms > maxPastMs) {
      return "older than the table's retention ("
          + human(maxPastMs)
          + ") at the record's Kafka time";
    }
    return null;
  }

  private static String human(long ms) {
    long s = ms / 1000;
    if (s % 86_400 == 0) {
      return s / 86_400 + (s == 86_400 ? " day" : " days");
    }
    return s % 3_600 == 0 ? s / 3_600 + " h" : s + " s";
  }
}
