package dev.logpipe.sandbox.pods;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A pod's status as the kubelet writes it, from what the node agent knows of its one container:
 * phase Pending until the first start and Running after (restartPolicy Always), the Ready and
 * ContainersReady conditions from the readiness probe with the time they last flipped (the
 * Deployment controller counts a pod available from it), and the container's state (running,
 * waiting with its reason) with restartCount and the last termination's exit code. Other containers
 * of the pod (the sandbox runs only the first) are reported waiting, so the pod is never Ready with
 * a container that does not run.
 */
final class PodStatusFactory {
  static final String IP = "127.0.0.1";

  private PodStatusFactory() {}

  static PodStatus of(Pod pod, ContainerSnapshot c) {
    boolean running = c.runningSince() != null;
    String since = time(c.readyChanged() != null ? c.readyChanged() : c.accepted());
    String accepted = time(c.accepted());
    List<PodCondition> conditions =
        List.of(
            condition("PodScheduled", true, accepted),
            condition("Initialized", true, accepted),
            condition("ContainersReady", c.ready(), since),
            condition("Ready", c.ready(), since));
    List<Container> containers = pod.getSpec().getContainers();
    List<ContainerStatus> statuses = new ArrayList<>();
    for (int i = 0; i < containers.size(); i++) {
      statuses.add(
          i == 0
              ? first(containers.get(0), c)
              : new ContainerStatusBuilder()
                  .withName(containers.get(i).getName())
                  .withImage(containers.get(i).getImage())
                  .withImageID("")
                  .withReady(false)
                  .withStarted(false)
                  .withRestartCount(0)
                  .withState(waiting("CreateContainerError", PodLaunchFactory.ONE_CONTAINER))
                  .build());
    }
    boolean everStarted = running || c.lastTermination() != null;
    return new PodStatusBuilder()
        .withPhase(everStarted ? "Running" : "Pending")
        .withHostIP(IP)
        .withHostIPs(new io.fabric8.kubernetes.api.model.HostIP(IP))
        .withPodIP(IP)
        .withPodIPs(new io.fabric8.kubernetes.api.model.PodIP(IP))
        .withStartTime(accepted)
        // the API server sets the QoS class at creation and refuses a change
        .withQosClass(pod.getStatus() == null ? null : pod.getStatus().getQosClass())
        .withConditions(conditions)
        .withContainerStatuses(statuses)
        .build();
  }

  private static ContainerStatus first(Container container, ContainerSnapshot c) {
    boolean running = c.runningSince() != null;
    ContainerStatusBuilder status =
        new ContainerStatusBuilder()
            .withName(container.getName())
            .withImage(container.getImage())
            .withImageID(running ? "sandbox://pipeline-worker" : "")
            .withContainerID(running ? "sandbox://" + c.pid() : null)
            .withReady(c.ready())
            .withStarted(running)
            .withRestartCount(c.restartCount())
            .withState(
                running
                    ? new ContainerStateBuilder()
                        .withNewRunning()
                        .withStartedAt(time(c.runningSince()))
                        .endRunning()
                        .build()
                    : waiting(c.waitingReason(), c.waitingMessage()));
    Termination last = c.lastTermination();
    if (last != null) {
      status.withLastState(
          new ContainerStateBuilder()
              .withNewTerminated()
              .withExitCode(last.exitCode())
              .withReason(last.reason())
              .withStartedAt(time(last.startedAt()))
              .withFinishedAt(time(last.finishedAt()))
              .endTerminated()
              .build());
    }
    return status.build();
  }

  private static ContainerState waiting(String reason, String message) {
    return new ContainerStateBuilder()
        .withNewWaiting()
        .withReason(reason == null ? "ContainerCreating" : reason)
        .withMessage(message)
        .endWaiting()
        .build();
  }

  private static PodCondition condition(String type, boolean status, String since) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withLastTransitionTime(since)
        .build();
  }

  /** RFC 3339 in whole seconds, as the API server stores times. */
  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
