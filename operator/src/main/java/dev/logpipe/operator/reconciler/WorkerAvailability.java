package dev.logpipe.operator.reconciler;

import dev.logpipe.operator.status.ConditionResult;
import dev.logpipe.operator.status.Reason;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;

/**
 * WorkersAvailable from the worker Deployment's own status, as the Deployment controller sets it.
 */
final class WorkerAvailability {
  private WorkerAvailability() {}

  /** Ready pods, counting only a rollout of the current spec. */
  static int ready(Deployment deployment) {
    DeploymentStatus s = deployment == null ? null : deployment.getStatus();
    return s == null || s.getReadyReplicas() == null ? 0 : s.getReadyReplicas();
  }

  static ConditionResult of(Deployment deployment, int desired) {
    if (deployment == null) {
      return ConditionResult.isFalse(
          Reason.WorkersProgressing, "The worker Deployment is being created.");
    }
    String name = deployment.getMetadata().getName();
    if (desired == 0) {
      return ConditionResult.isTrue(
          Reason.WorkersAvailable, "Workers are scaled to 0: consumption is paused.");
    }
    DeploymentStatus s =
        deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
    int ready = ready(deployment);
    int available = s.getAvailableReplicas() == null ? 0 : s.getAvailableReplicas();
    int updated = s.getUpdatedReplicas() == null ? ready : s.getUpdatedReplicas();
    Long generation = deployment.getMetadata().getGeneration();
    boolean observed =
        s.getObservedGeneration() == null
            || generation == null
            || s.getObservedGeneration() >= generation;
    String counts = ready + " of " + desired + " worker pods ready";
    if (observed && ready >= desired && available >= desired && updated >= desired) {
      return ConditionResult.isTrue(Reason.WorkersAvailable, counts + ".");
    }
    DeploymentCondition progressing = condition(s, "Progressing");
    if (progressing != null && "ProgressDeadlineExceeded".equals(progressing.getReason())) {
      return ConditionResult.isFalse(
          Reason.WorkersUnavailable,
          counts
              + "; Deployment "
              + name
              + " stopped progressing: check the worker pods' events and logs.");
    }
    DeploymentCondition availableCondition = condition(s, "Available");
    if (availableCondition != null
        && "False".equals(availableCondition.getStatus())
        && (progressing == null || !"True".equals(progressing.getStatus()))) {
      return ConditionResult.isFalse(
          Reason.WorkersUnavailable, counts + "; Deployment " + name + " is not available.");
    }
    return ConditionResult.isFalse(Reason.WorkersProgressing, counts + ".");
  }

  private static DeploymentCondition condition(DeploymentStatus s, String type) {
    if (s.getConditions() == null) {
      return null;
    }
    return s.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }
}
