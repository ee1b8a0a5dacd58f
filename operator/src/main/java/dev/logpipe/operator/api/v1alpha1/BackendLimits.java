package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * What one LogPipeline may request from a backend. Defaults are deliberately modest: a platform
 * team that forgets this block does not hand out unlimited Kafka partitions.
 */
public class BackendLimits {
  @Default("24")
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("Most partitions one pipeline's topic may have.")
  private int maxPartitions = 24;

  @Default("3")
  @Min(1)
  @Max(10)
  @JsonPropertyDescription("Most replicas (replication factor) one pipeline's topic may have.")
  private int maxReplicas = 3;

  @Default("8")
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Most worker replicas one pipeline may run.")
  private int maxWorkers = 8;

  @Default("30")
  @Min(1)
  @Max(3650)
  @JsonPropertyDescription("Longest ClickHouse retention, in days, one pipeline may ask for.")
  private int maxRetentionDays = 30;

  @Default("168")
  @Min(1)
  @Max(8760)
  @JsonPropertyDescription("Longest Kafka topic retention, in hours, one pipeline may ask for.")
  private int maxRetentionHours = 168;

  public int getMaxPartitions() {
    return maxPartitions;
  }

  public void setMaxPartitions(int maxPartitions) {
    this.maxPartitions = maxPartitions;
  }

  public int getMaxReplicas() {
    return maxReplicas;
  }

  public void setMaxReplicas(int maxReplicas) {
    this.maxReplicas = maxReplicas;
  }

  public int getMaxWorkers() {
    return maxWorkers;
  }

  public void setMaxWorkers(int maxWorkers) {
    this.maxWorkers = maxWorkers;
  }

  public int getMaxRetentionDays() {
    return maxRetentionDays;
  }

  public void setMaxRetentionDays(int maxRetentionDays) {
    this.maxRetentionDays = maxRetentionDays;
  }

  public int getMaxRetentionHours() {
    return maxRetentionHours;
  }

  public void setMaxRetentionHours(int maxRetentionHours) {
    this.maxRetentionHours = maxRetentionHours;
  }
}
