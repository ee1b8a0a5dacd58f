package dev.logpipe.worker.gateway;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a query answer may be served from the cache. A range that reaches the present (its end
 * is {@code now}, relative, or within {@link #SETTLE} of now) keeps changing as events land, so its
 * answer lives at most {@link #EDGE_MAX_AGE}: just long enough to share one ClickHouse query among
 * identical requests arriving together, short enough that an event POSTed a moment ago shows up
 * within the two-second freshness goal. A range that ended before that is settled and keeps the
 * configured TTL.
 *
 * <p>"Settled" is about arrival, not truth: an event that arrives late with a timestamp older than
 * {@link #SETTLE} can stay invisible to a cached past range for up to the configured TTL.
 */
final class CacheLifetime {
  /** Longest a cached answer for a range reaching the present is served. */
  static final Duration EDGE_MAX_AGE = Duration.ofMillis(500);

  /**
   * Events are written with the timestamp their producer gave them and land about a second after
   * they are acknowledged; a range ending more than this long ago is taken as settled.
   */
  static final Duration SETTLE = Duration.ofMinutes(5);

  private CacheLifetime() {}

  /** The cache lifetime for a query with these parameters at {@code now}; zero: do not cache. */
  static Duration of(QueryParameters params, Instant now, Duration configured) {
    Instant end;
    try {
      String to = params.single("to");
      end = to == null || to.isBlank() ? now : TimeRange.instant("to", to, now);
    } catch (BadRequest e) {
      // The query itself will answer 400 and nothing is stored; no lifetime is needed.
      return Duration.ZERO;
    }
    boolean reachesThePresent = end.isAfter(now.minus(SETTLE));
    if (reachesThePresent && configured.compareTo(EDGE_MAX_AGE) > 0) {
      return EDGE_MAX_AGE;
    }
    return configured;
  }
}
