package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The pipeline's Kafka topic, logpipe.<namespace>.<name>. */
public class TopicSpec {
  @Default("3")
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription(
      "Number of partitions; also the most workers that can consume in parallel. Partitions can"
          + " be added later but never removed.")
  private int partitions = 3;

  @Default("1")
  @Min(1)
  @Max(10)
  @JsonPropertyDescription("Replication factor of the topic.")
  private int replicas = 1;

  @Default("72")
  @Min(1)
  @Max(8760)
  @JsonPropertyDescription("How long Kafka keeps records, in hours.")
  private int retentionHours = 72;

  public int getPartitions() {
    return partitions;
  }

  public void setPartitions(int partitions) {
    this.partitions = partitions;
  }

  public int getReplicas() {
    return replicas;
  }

  public void setReplicas(int replicas) {
    this.replicas = replicas;
  }

  public int getRetentionHours() {
    return retentionHours;
  }

  public void setRetentionHours(int retentionHours) {
    this.retentionHours = retentionHours;
  }
}
