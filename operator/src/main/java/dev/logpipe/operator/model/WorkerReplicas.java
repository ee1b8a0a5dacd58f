package dev.logpipe.operator.model;

import dev.logpipe.operator.api.v1alpha1.LogPipelineSpec;

/**
 * The one place the worker Deployment's replicas are decided, so a rule that must win over the
 * autoscaler (for example "a rejected pipeline runs no workers") is added here once.
 */
public final class WorkerReplicas {
  private WorkerReplicas() {}

  /**
   * @param autoscaled the autoscaler's desired replicas, or null before it has a decision
   * @param externalScaler true when an HPA or KEDA ScaledObject targets the Deployment
   * @return the replicas to write, or null to leave them to whoever sets them (the operator then
   *     does not own the field)
   */
  public static Integer of(LogPipelineSpec spec, Integer autoscaled, boolean externalScaler) {
    if (spec.getWorkers().getAutoscaling() == null) {
      return spec.getWorkers().getReplicas();
    }
    if (externalScaler) {
      return null;
    }
    return autoscaled != null ? autoscaled : spec.getWorkers().getReplicas();
  }
}
