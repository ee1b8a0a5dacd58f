package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * Batch limits. maxDelay is a duration string (like Kubernetes and Prometheus use) rather than a
 * bare number of milliseconds, so a reader sees the unit.
 */
public class BatchSpec {
  @Min(1)
  @Max(1_000_000)
  @JsonPropertyDescription("Most rows in one insert.")
  private Integer maxRows;

  @Min(1024)
  @Max(1L << 30)
  @JsonPropertyDescription("Most bytes (of parsed rows) in one insert.")
  private Long maxBytes;

  @Pattern("^[0-9]{1,6}(ms|s|m)$")
  @JsonPropertyDescription(
      "Longest time a record waits before its batch is written: a number with unit ms, s or m,"
          + " e.g. 500ms, 1s, 2m (10ms to 10m).")
  private String maxDelay;

  public Integer getMaxRows() {
    return maxRows;
  }

  public void setMaxRows(Integer maxRows) {
    this.maxRows = maxRows;
  }

  public Long getMaxBytes() {
    return maxBytes;
  }

  public void setMaxBytes(Long maxBytes) {
    this.maxBytes = maxBytes;
  }

  public String getMaxDelay() {
    return maxDelay;
  }

  public void setMaxDelay(String maxDelay) {
    this.maxDelay = maxDelay;
  }
}
