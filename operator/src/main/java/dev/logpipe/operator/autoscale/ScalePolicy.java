package dev.logpipe.operator.autoscale;

import dev.logpipe.operator.api.v1alpha1.AutoscalingSpec;
import java.time.Duration;

/**
 * The autoscaling spec as the decision reads it: bounds, targets (null when not set) and the two
 * stabilisation windows.
 */
public record ScalePolicy(
    int minReplicas,
    int maxReplicas,
    Integer targetLagSeconds,
    Long targetLagRecordsPerReplica,
    Duration scaleUpWindow,
    Duration scaleDownWindow) {

  public ScalePolicy {
    if (minReplicas < 0 || maxReplicas < minReplicas) {
      throw new IllegalArgumentException(
          "need 0 <= minReplicas <= maxReplicas, got " + minReplicas + ".." + maxReplicas);
    }
    if (targetLagSeconds == null && targetLagRecordsPerReplica == null) {
      throw new IllegalArgumentException("need targetLagSeconds or targetLagRecordsPerReplica");
    }
  }

  public static ScalePolicy of(AutoscalingSpec spec) {
    return new ScalePolicy(
        spec.getMinReplicas(),
        spec.getMaxReplicas(),
        spec.getTargetLagSeconds(),
        spec.getTargetLagRecordsPerReplica(),
        Duration.ofSeconds(spec.getScaleUpStabilizationSeconds()),
        Duration.ofSeconds(spec.getScaleDownStabilizationSeconds()));
  }

  int clamp(int replicas) {
    return Math.max(minReplicas, Math.min(maxReplicas, replicas));
  }

  /** How long a recommendation must be remembered for either window. */
  Duration memory() {
    return scaleUpWindow.compareTo(scaleDownWindow) > 0 ? scaleUpWindow : scaleDownWindow;
  }
}
