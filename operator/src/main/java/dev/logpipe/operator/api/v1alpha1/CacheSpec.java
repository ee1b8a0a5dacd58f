package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The Redis live-view cache. Best effort: when Redis is down, logs still reach ClickHouse. */
public class CacheSpec {
  @Default("true")
  @JsonPropertyDescription("Keep recent logs, counters and anomalies in the backend's Redis.")
  private boolean enabled = true;

  @Default("500")
  @Min(1)
  @Max(100_000)
  @JsonPropertyDescription("How many recent records to keep per service.")
  private int recentPerService = 500;

  @Default("120")
  @Min(1)
  @Max(86_400)
  @JsonPropertyDescription("How long the gateway caches a query result, in seconds.")
  private int queryTtlSeconds = 120;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public int getRecentPerService() {
    return recentPerService;
  }

  public void setRecentPerService(int recentPerService) {
    this.recentPerService = recentPerService;
  }

  public int getQueryTtlSeconds() {
    return queryTtlSeconds;
  }

  public void setQueryTtlSeconds(int queryTtlSeconds) {
    this.queryTtlSeconds = queryTtlSeconds;
  }
}
