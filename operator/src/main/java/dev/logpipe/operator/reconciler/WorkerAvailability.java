package dev.logpipe.operator.reconciler;

import dev.logpipe.operator.status.ConditionResult;
import dev.logpipe.operator.status.Reason;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.List;
import java.util.Optional;

/**
 * WorkersAvailable and GatewayAvailable from a Deployment's own status, as the Deployment
 * controller sets it, and, while replicas are missing, from its pods: a pod whose image cannot be
 * pulled, whose container cannot be created or keeps crashing makes the condition False with a
 * reason of its own, since waiting will not fix it.
 */
final class WorkerAvailability {
  /** What one kind of Deployment is called in messages, and its reasons. */
  record Kind(
      String pods,
      String what,
      Reason available,
      Reason progressing,
      Reason unavailable,
      Reason crashLooping,
      Reason imagePullFailed,
      Reason configError,
      String zeroMessage) {
    Reason reasonFor(PodDiagnosis.Problem problem) {
      return switch (problem) {
        case IMAGE_PULL -> imagePullFailed;
        case CONTAINER_CONFIG -> configError;
        case CRASH_LOOP -> crashLooping;
      };
    }
  }

  static final Kind WORKERS =
      new Kind(
          "worker pods",
          "worker",
          Reason.WorkersAvailable,
          Reason.WorkersProgressing,
          Reason.WorkersUnavailable,
          Reason.WorkersCrashLooping,
          Reason.WorkersImagePullFailed,
          Reason.WorkersConfigError,
          "Workers are scaled to 0: consumption is paused.");
  static final Kind GATEWAY =
      new Kind(
          "gateway pods",
          "gateway",
          Reason.GatewayAvailable,
          Reason.GatewayProgressing,
          Reason.GatewayUnavailable,
          Reason.GatewayCrashLooping,
          Reason.GatewayImagePullFailed,
          Reason.GatewayConfigError,
          "The gateway is scaled to 0.");

  private WorkerAvailability() {}

  /**
   * Ready pods, counting only a rollout of the current spec. The Deployment controller's
   * readyReplicas counts the pods of every ReplicaSet, so during a rollout the old pods (ready
   * until replaced) would count for the new spec ("2 of 1 ready"): they are taken off, assuming
   * them ready, which makes this a lower bound until the rollout ends.
   */
  static int ready(Deployment deployment) {
    if (deployment != null && deployment.getMetadata().getDeletionTimestamp() != null) {
      return 0; // its pods are going away with it (see of())
    }
    DeploymentStatus s = deployment == null ? null : deployment.getStatus();
    int ready = s == null || s.getReadyReplicas() == null ? 0 : s.getReadyReplicas();
    ready = Math.max(0, ready - oldPods(s));
    // Nor more than the current spec's pods: the ReplicaSets' counts are summed from statuses
    // updated at different times (seen on a real server: "3 of 1 ready" between two rollouts).
    if (s != null && s.getUpdatedReplicas() != null) {
      ready = Math.min(ready, s.getUpdatedReplicas());
    }
    // Nor more than the Deployment now asks for: a scale-down's status lags its spec ("2 of 1").
    Integer wanted =
        deployment == null || deployment.getSpec() == null
            ? null
            : deployment.getSpec().getReplicas();
    return wanted == null ? ready : Math.min(ready, wanted);
  }

  /** Pods of older ReplicaSets still running (status.replicas counts all, updated the new). */
  private static int oldPods(DeploymentStatus s) {
    if (s == null || s.getReplicas() == null || s.getUpdatedReplicas() == null) {
      return 0;
    }
    return Math.max(0, s.getReplicas() - s.getUpdatedReplicas());
  }

  static ConditionResult of(Deployment deployment, int desired) {
    return of(WORKERS, deployment, desired, List.of());
  }

  static ConditionResult of(Kind kind, Deployment deployment, int desired) {
    return of(kind, deployment, desired, List.of());
  }

  /**
   * @param pods the Deployment's pods (any rollout), consulted only when replicas are missing
   */
  static ConditionResult of(Kind kind, Deployment deployment, int desired, List<Pod> pods) {
    if (deployment == null) {
      return ConditionResult.isFalse(
          kind.progressing(), "The " + kind.what() + " Deployment is being created.");
    }
    String name = deployment.getMetadata().getName();
    if (deployment.getMetadata().getDeletionTimestamp() != null) {
      // E.g. a pipeline deleted and recreated under the same name while the old Deployment is
      // held by a finalizer: its pods belong to an object that is going away, not to this spec.
      return ConditionResult.isFalse(
          kind.progressing(),
          "Deployment "
              + name
              + " is still being deleted"
              + finalizers(deployment)
              + "; the "
              + kind.what()
              + " Deployment is created again once it is gone.");
    }
    if (desired == 0) {
      return ConditionResult.isTrue(kind.available(), kind.zeroMessage());
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
    int old = oldPods(s);
    String counts =
        ready
            + " of "
            + desired
            + " "
            + kind.pods()
            + " ready"
            + (old == 0 ? "" : " (rolling out: " + old + " of the previous spec still running)");
    // Complete as `kubectl rollout status` judges it: no pod of an older spec left.
    if (observed && old == 0 && ready >= desired && available >= desired && updated >= desired) {
      return ConditionResult.isTrue(kind.available(), counts + ".");
    }
    Optional<PodDiagnosis.Finding> trouble = PodDiagnosis.worst(pods);
    if (trouble.isPresent()) {
      long affected = PodDiagnosis.affectedPods(pods);
      String message = counts + ": " + PodDiagnosis.describe(trouble.get());
      if (affected > 1) {
        message += " (" + affected + " pods affected)";
      }
      return ConditionResult.isFalse(
          kind.reasonFor(trouble.get().problem()), message.endsWith(".") ? message : message + ".");
    }
    DeploymentCondition progressing = condition(s, "Progressing");
    if (progressing != null && "ProgressDeadlineExceeded".equals(progressing.getReason())) {
      return ConditionResult.isFalse(
          kind.unavailable(),
          counts
              + "; Deployment "
              + name
              + " stopped progressing: check the "
              + kind.pods()
              + "' events and logs.");
    }
    DeploymentCondition availableCondition = condition(s, "Available");
    if (availableCondition != null
        && "False".equals(availableCondition.getStatus())
        && (progressing == null || !"True".equals(progressing.getStatus()))) {
      return ConditionResult.isFalse(
          kind.unavailable(), counts + "; Deployment " + name + " is not available.");
    }
    return ConditionResult.isFalse(kind.progressing(), counts + ".");
  }

  private static String finalizers(Deployment deployment) {
    List<String> finalizers = deployment.getMetadata().getFinalizers();
    return finalizers == null || finalizers.isEmpty()
        ? ""
        : " (waiting for finalizers " + String.join(", ", finalizers) + ")";
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
