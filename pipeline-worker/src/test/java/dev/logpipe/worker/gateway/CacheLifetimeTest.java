package dev.logpipe.worker.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheLifetimeTest {
  private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
  private static final Duration TTL = Duration.ofSeconds(60);

  @Test
  void aRangeReachingThePresentIsCachedOnlyForAMoment() {
    assertThat(lifetime(Map.of("from", "1h"))).isEqualTo(CacheLifetime.EDGE_MAX_AGE);
    assertThat(lifetime(Map.of("from", "1h", "to", "now"))).isEqualTo(CacheLifetime.EDGE_MAX_AGE);
    assertThat(lifetime(Map.of())).isEqualTo(CacheLifetime.EDGE_MAX_AGE);
    assertThat(lifetime(Map.of("from", "2026-12-03T09:00:00Z", "to", "2026-12-03T09:58:00Z")))
        .as("ends two minutes ago: events may still be landing")
        .isEqualTo(CacheLifetime.EDGE_MAX_AGE);
    assertThat(lifetime(Map.of("to", "2026-12-04T00:00:00Z")))
        .isEqualTo(CacheLifetime.EDGE_MAX_AGE);
    assertThat(CacheLifetime.EDGE_MAX_AGE).isLessThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aSettledPastRangeKeepsTheConfiguredTtl() {
    assertThat(lifetime(Map.of("from", "2026-12-02T00:00:00Z", "to", "2026-12-03T00:00:00Z")))
        .isEqualTo(TTL);
    assertThat(lifetime(Map.of("from", "2h", "to", "1h"))).isEqualTo(TTL);
  }

  @Test
  void aShorterConfiguredTtlIsKeptAndAnInvalidRangeIsNotCached() {
    QueryParameters q = params(Map.of("from", "1h"));
    assertThat(CacheLifetime.of(q, NOW, Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(100));
    assertThat(lifetime(Map.of("to", "yesterday"))).isZero();
  }

  private static Duration lifetime(Map<String, String> raw) {
    return CacheLifetime.of(params(raw), NOW, TTL);
  }

  private static QueryParameters params(Map<String, String> raw) {
    Map<String, List<String>> multi = new java.util.HashMap<>();
    raw.forEach((k, v) -> multi.put(k, List.of(v)));
    return new QueryParameters(multi, QueryService.LOGS_PARAMS);
  }
}
