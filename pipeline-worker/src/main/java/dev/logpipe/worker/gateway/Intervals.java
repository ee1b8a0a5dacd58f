package dev.logpipe.worker.gateway;

import java.time.Duration;
import java.util.Map;

/** Histogram intervals: a fixed menu, chosen automatically when absent, bounded in bucket count. */
final class Intervals {
  private static final Map<String, Long> ALLOWED =
      Map.ofEntries(
          Map.entry("1s", 1L),
          Map.entry("10s", 10L),
          Map.entry("30s", 30L),
          Map.entry("1m", 60L),
          Map.entry("5m", 300L),
          Map.entry("15m", 900L),
          Map.entry("30m", 1_800L),
          Map.entry("1h", 3_600L),
          Map.entry("6h", 21_600L),
          Map.entry("12h", 43_200L),
          Map.entry("1d", 86_400L));
  private static final long[] AUTO = {
    1, 10, 30, 60, 300, 900, 1_800, 3_600, 21_600, 43_200, 86_400
  };

  private Intervals() {}

  static long seconds(String interval, TimeRange range) {
    long span = Math.max(1, Duration.between(range.from(), range.to()).toSeconds());
    if (interval == null || interval.isBlank()) {
      for (long step : AUTO) {
        if (span / step <= 200) {
          return step;
        }
      }
      return 86_400;
    }
    Long step = ALLOWED.get(interval.strip());
    if (step == null) {
      throw new BadRequest(
          "interval", "interval must be one of " + new java.util.TreeSet<>(ALLOWED.keySet()));
    }
    if (span / step > LogQueries.MAX_BUCKETS) {
      throw new BadRequest(
          "interval",
          "interval "
              + interval
              + " gives more than "
              + LogQueries.MAX_BUCKETS
              + " buckets for this range");
    }
    return step;
  }
}
