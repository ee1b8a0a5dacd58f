package dev.logpipe.operator.model;

import dev.logpipe.operator.api.v1alpha1.AutoscalingSpec;
import dev.logpipe.operator.api.v1alpha1.WorkersSpec;

/**
 * The checks of spec.workers.autoscaling the operator makes itself. The CRD's rules reject most of
 * this already; an API server with an older CRD (or none, as in unit tests) does not, and the
 * partition cap needs the topic spec, which a rule on workers cannot see.
 */
public final class AutoscalingRules {
  private AutoscalingRules() {}

  /**
   * @throws InvalidPipelineException naming the fields and numbers at fault
   */
  public static void check(WorkersSpec workers, int partitions) {
    AutoscalingSpec a = workers.getAutoscaling();
    if (a == null) {
      return;
    }
    if (workers.hasFixedReplicas()) {
      throw new InvalidPipelineException(
          "set either workers.replicas or workers.autoscaling, not both");
    }
    if (a.getTargetLagSeconds() == null && a.getTargetLagRecordsPerReplica() == null) {
      throw new InvalidPipelineException(
          "workers.autoscaling needs a target: targetLagSeconds, targetLagRecordsPerReplica or"
              + " both");
    }
    if (a.getMinReplicas() < 1 || a.getMinReplicas() > a.getMaxReplicas()) {
      throw new InvalidPipelineException(
          "workers.autoscaling.minReplicas "
              + a.getMinReplicas()
              + " must be at least 1 and at most maxReplicas "
              + a.getMaxReplicas());
    }
    if (a.getMaxReplicas() > partitions) {
      throw new InvalidPipelineException(
          "workers.autoscaling.maxReplicas "
              + a.getMaxReplicas()
              + " exceeds topic.partitions "
              + partitions
              + ": a worker beyond the partition count gets no partition; lower maxReplicas or"
              + " raise topic.partitions");
    }
  }
}
