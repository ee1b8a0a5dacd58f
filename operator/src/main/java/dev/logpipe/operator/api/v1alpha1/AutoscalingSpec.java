package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Lag-based autoscaling of the worker Deployment, done by the operator itself (no HPA or KEDA
 * needed). The operator measures the pipeline's consumer-group lag every 10 seconds and sets the
 * worker replicas between minReplicas and maxReplicas.
 */
@ValidationRule(
    value = "!has(self.minReplicas) || self.minReplicas <= self.maxReplicas",
    message = "workers.autoscaling.minReplicas must not exceed workers.autoscaling.maxReplicas")
@ValidationRule(
    value = "has(self.targetLagSeconds) || has(self.targetLagRecordsPerReplica)",
    message =
        "workers.autoscaling needs a target: targetLagSeconds, targetLagRecordsPerReplica or both")
public class AutoscalingSpec {
  @Default("1")
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Fewest worker pods, also when there is no lag at all.")
  private int minReplicas = 1;

  @Required
  @Min(1)
  @Max(100)
  @JsonPropertyDescription(
      "Most worker pods. At most the topic's partitions (an extra worker would get no partition)"
          + " and the backend's limits.maxWorkers; a larger value is rejected with a message.")
  private int maxReplicas;

  @Min(1)
  @Max(86400)
  @JsonPropertyDescription(
      "Target age, in seconds, of the oldest record not yet stored. Above it the workers are"
          + " scaled up in proportion (twice the target: twice the workers); well below it, down."
          + " The age is estimated from the end offsets the operator has seen over time, so it is"
          + " accurate to one measuring period (10 s).")
  private Integer targetLagSeconds;

  @Min(1)
  @JsonPropertyDescription(
      "Target number of records waiting (end offset minus committed offset, summed over"
          + " partitions) per worker pod: desired pods = ceil(lag / this). With targetLagSeconds"
          + " too, the larger of the two answers wins.")
  private Long targetLagRecordsPerReplica;

  @Default("0")
  @Min(0)
  @Max(3600)
  @JsonPropertyDescription(
      "Scale up only to a size every measurement of the last this-many seconds asked for. 0"
          + " (the default) scales up at the first measurement over target.")
  private int scaleUpStabilizationSeconds = 0;

  @Default("300")
  @Min(0)
  @Max(3600)
  @JsonPropertyDescription(
      "Scale down only to the largest size any measurement of the last this-many seconds asked"
          + " for, so a short lull does not remove workers that the next burst needs again.")
  private int scaleDownStabilizationSeconds = 300;

  public int getMinReplicas() {
    return minReplicas;
  }

  public void setMinReplicas(int minReplicas) {
    this.minReplicas = minReplicas;
  }

  public int getMaxReplicas() {
    return maxReplicas;
  }

  public void setMaxReplicas(int maxReplicas) {
    this.maxReplicas = maxReplicas;
  }

  public Integer getTargetLagSeconds() {
    return targetLagSeconds;
  }

  public void setTargetLagSeconds(Integer targetLagSeconds) {
    this.targetLagSeconds = targetLagSeconds;
  }

  public Long getTargetLagRecordsPerReplica() {
    return targetLagRecordsPerReplica;
  }

  public void setTargetLagRecordsPerReplica(Long targetLagRecordsPerReplica) {
    this.targetLagRecordsPerReplica = targetLagRecordsPerReplica;
  }

  public int getScaleUpStabilizationSeconds() {
    return scaleUpStabilizationSeconds;
  }

  public void setScaleUpStabilizationSeconds(int scaleUpStabilizationSeconds) {
    this.scaleUpStabilizationSeconds = scaleUpStabilizationSeconds;
  }

  public int getScaleDownStabilizationSeconds() {
    return scaleDownStabilizationSeconds;
  }

  public void setScaleDownStabilizationSeconds(int scaleDownStabilizationSeconds) {
    this.scaleDownStabilizationSeconds = scaleDownStabilizationSeconds;
  }
}
