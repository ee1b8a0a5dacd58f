package dev.logpipe.operator.autoscale;

import dev.logpipe.operator.status.ConditionResult;

/**
 * What the autoscaler currently decides for one pipeline, as the reconciler reads it (an immutable
 * snapshot; the sampler thread replaces it).
 *
 * @param lag the last measurement, or null before the first
 * @param lastScaleTime ISO-8601 time of the last change of desired, or null
 * @param externalScaler "HorizontalPodAutoscaler x" or "KEDA ScaledObject x" when one targets the
 *     worker Deployment, else null
 * @param condition the Autoscaling condition
 */
public record AutoscaleView(
    int desired,
    LagSample lag,
    String lastScaleTime,
    String lastScaleReason,
    String externalScaler,
    ConditionResult condition) {

  /** Replicas the worker Deployment gets from the operator; null leaves them to another scaler. */
  public Integer replicasToWrite() {
    return externalScaler == null ? desired : null;
  }
}
