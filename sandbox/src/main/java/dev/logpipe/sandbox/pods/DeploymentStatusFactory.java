package dev.logpipe.sandbox.pods;

import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A Deployment's status as the Deployment controller would write it, from the sandbox's processes:
 * replicas (live pods), updatedReplicas (of the current template), readyReplicas and
 * availableReplicas (ready per /readyz; minReadySeconds is 0), observedGeneration, and the
 * Available and Progressing conditions, keeping each condition's lastTransitionTime while its
 * status holds.
 */
final class DeploymentStatusFactory {
  static final Duration PROGRESS_DEADLINE = Duration.ofSeconds(600);

  private DeploymentStatusFactory() {}

  /**
   * @param rolloutStarted when the current template's rollout began
   * @param previous the status currently stored, or null
   */
  static DeploymentStatus of(
      long generation,
      int desired,
      List<? extends RunningPod> pods,
      String hash,
      Instant rolloutStarted,
      Instant now,
      DeploymentStatus previous) {
    List<? extends RunningPod> live = pods.stream().filter(RunningPod::alive).toList();
    int updated = (int) live.stream().filter(p -> p.templateHash().equals(hash)).count();
    int ready = (int) live.stream().filter(RunningPod::ready).count();
    int updatedReady =
        (int) live.stream().filter(p -> p.ready() && p.templateHash().equals(hash)).count();
    boolean complete = updated == desired && updatedReady == desired && live.size() == desired;
    List<DeploymentCondition> conditions = new ArrayList<>();
    conditions.add(
        condition(
            previous,
            "Available",
            ready >= desired,
            ready >= desired ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
            ready >= desired
                ? "Deployment has minimum availability."
                : "Deployment does not have minimum availability.",
            now));
    boolean stuck =
        !complete && Duration.between(rolloutStarted, now).compareTo(PROGRESS_DEADLINE) > 0;
    conditions.add(
        condition(
            previous,
            "Progressing",
            !stuck,
            complete
                ? "NewReplicaSetAvailable"
                : stuck ? "ProgressDeadlineExceeded" : "ReplicaSetUpdated",
            complete
                ? "Sandbox pods of the current template are available."
                : stuck
                    ? "Sandbox pods did not become ready within "
                        + PROGRESS_DEADLINE.toSeconds()
                        + " s; see the pod logs."
                    : "Sandbox pods are being rolled out.",
            now));
    return new DeploymentStatusBuilder()
        .withObservedGeneration(generation)
        .withReplicas(live.size())
        .withUpdatedReplicas(updated)
        .withReadyReplicas(ready)
        .withAvailableReplicas(ready)
        .withUnavailableReplicas(
            Math.max(0, desired - ready) == 0 ? null : Math.max(0, desired - ready))
        .withConditions(conditions)
        .build();
  }

  private static DeploymentCondition condition(
      DeploymentStatus previous,
      String type,
      boolean status,
      String reason,
      String message,
      Instant now) {
    String value = status ? "True" : "False";
    String since = now.toString();
    if (previous != null && previous.getConditions() != null) {
      for (DeploymentCondition c : previous.getConditions()) {
        if (c.getType().equals(type)
            && value.equals(c.getStatus())
            && c.getLastTransitionTime() != null) {
          since = c.getLastTransitionTime();
        }
      }
    }
    return new DeploymentConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(since)
        .withLastUpdateTime(since)
        .build();
  }
}
