package dev.logpipe.operator.reconciler;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Why a workload's pods are not becoming ready, read from their container statuses as the kubelet
 * reports them: an image that cannot be pulled, a container that cannot be created (a missing
 * Secret or key), or a container that keeps exiting. Only statuses are read, never the pod spec, so
 * no environment value can reach a message; the kubelet's and the program's own messages are cut to
 * one short line.
 */
final class PodDiagnosis {
  /** What is wrong, most definite first: it decides the condition's reason. */
  enum Problem {
    IMAGE_PULL,
    CONTAINER_CONFIG,
    CRASH_LOOP
  }

  static final Set<String> IMAGE_PULL_REASONS =
      Set.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull");
  static final Set<String> CONFIG_REASONS =
      Set.of("CreateContainerConfigError", "CreateContainerError");
  static final String CRASH_LOOP_REASON = "CrashLoopBackOff";

  /** Restarts after which a container that failed last time counts as crash-looping. */
  static final int RESTARTS = 3;

  static final int MAX_TEXT = 200;

  /** One container in trouble. */
  record Finding(
      Problem problem,
      String pod,
      String container,
      String state,
      int restarts,
      Integer exitCode,
      String detail) {}

  private PodDiagnosis() {}

  /** The first finding of the most definite problem across {@code pods} (by pod name). */
  static Optional<Finding> worst(List<Pod> pods) {
    return findings(pods).stream()
        .min(Comparator.comparing(Finding::problem).thenComparing(Finding::pod));
  }

  /** Every container in trouble in running or pending pods that are not being deleted. */
  static List<Finding> findings(List<Pod> pods) {
    List<Finding> out = new ArrayList<>();
    for (Pod pod : pods) {
      if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
        continue;
      }
      String phase = pod.getStatus().getPhase();
      if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
        continue;
      }
      List<ContainerStatus> statuses = new ArrayList<>();
      if (pod.getStatus().getInitContainerStatuses() != null) {
        statuses.addAll(pod.getStatus().getInitContainerStatuses());
      }
      if (pod.getStatus().getContainerStatuses() != null) {
        statuses.addAll(pod.getStatus().getContainerStatuses());
      }
      for (ContainerStatus status : statuses) {
        of(pod.getMetadata().getName(), status).ifPresent(out::add);
      }
    }
    return out;
  }

  /** Pods with at least one container in trouble. */
  static long affectedPods(List<Pod> pods) {
    return findings(pods).stream().map(Finding::pod).distinct().count();
  }

  static Optional<Finding> of(String pod, ContainerStatus status) {
    if (Boolean.TRUE.equals(status.getReady())) {
      return Optional.empty();
    }
    int restarts = status.getRestartCount() == null ? 0 : status.getRestartCount();
    ContainerState state = status.getState();
    String waiting =
        state != null && state.getWaiting() != null ? state.getWaiting().getReason() : null;
    ContainerStateTerminated last = lastTermination(status);
    Integer exit = last == null ? null : last.getExitCode();
    Problem waitingProblem =
        waiting == null
            ? null
            : IMAGE_PULL_REASONS.contains(waiting)
                ? Problem.IMAGE_PULL
                : CONFIG_REASONS.contains(waiting) ? Problem.CONTAINER_CONFIG : null;
    if (waitingProblem != null) {
      return Optional.of(
          new Finding(
              waitingProblem,
              pod,
              status.getName(),
              waiting,
              restarts,
              null,
              oneLine(state.getWaiting().getMessage())));
    }
    boolean failedLastTime = exit != null && exit != 0;
    if (CRASH_LOOP_REASON.equals(waiting) || (failedLastTime && restarts >= RESTARTS)) {
      String how =
          waiting != null
              ? waiting
              : state != null && state.getTerminated() != null ? "Terminated" : "Running";
      return Optional.of(
          new Finding(
              Problem.CRASH_LOOP,
              pod,
              status.getName(),
              how,
              restarts,
              exit,
              last == null ? null : termination(last)));
    }
    return Optional.empty();
  }

  /** "container worker in pod p-worker-x is in CrashLoopBackOff after 5 restarts; last ..." */
  static String describe(Finding f) {
    StringBuilder text =
        new StringBuilder("container ").append(f.container()).append(" in pod ").append(f.pod());
    switch (f.problem()) {
      case IMAGE_PULL -> text.append(" cannot pull its image (").append(f.state()).append(')');
      case CONTAINER_CONFIG -> text.append(" cannot be created (").append(f.state()).append(')');
      case CRASH_LOOP -> {
        text.append(" is in ")
            .append(f.state())
            .append(" after ")
            .append(f.restarts())
            .append(f.restarts() == 1 ? " restart" : " restarts");
        if (f.exitCode() != null) {
          text.append("; last exit code ").append(f.exitCode());
        }
      }
    }
    if (f.detail() != null && !f.detail().isEmpty()) {
      text.append(": ").append(f.detail());
    }
    return text.toString();
  }

  private static ContainerStateTerminated lastTermination(ContainerStatus status) {
    if (status.getState() != null && status.getState().getTerminated() != null) {
      return status.getState().getTerminated();
    }
    return status.getLastState() == null ? null : status.getLastState().getTerminated();
  }

  // The kubelet's reason (Error, OOMKilled) and what the program wrote to its termination log.
  private static String termination(ContainerStateTerminated t) {
    String reason = t.getReason() == null ? "" : t.getReason();
    String message = oneLine(t.getMessage());
    if (message == null || message.isEmpty()) {
      return reason.isEmpty() ? null : reason;
    }
    return reason.isEmpty() ? message : reason + ", " + message;
  }

  /** Collapses whitespace and control characters and cuts to {@link #MAX_TEXT} characters. */
  static String oneLine(String text) {
    if (text == null) {
      return null;
    }
    String line = text.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
    return line.length() <= MAX_TEXT ? line : line.substring(0, MAX_TEXT - 1) + "…";
  }
}
