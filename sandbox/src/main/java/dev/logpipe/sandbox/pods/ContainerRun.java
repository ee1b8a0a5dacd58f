package dev.logpipe.sandbox.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * One pod on the sandbox node and the life of its container as the kubelet tracks it: the process
 * now running, readiness from the probe (not ready after {@code failureThreshold} failures in a
 * row, ready after one success), restarts after an exit with {@link CrashLoopBackoff}, and why it
 * waits. Changed only by the node agent's loop thread; {@link #process} and {@link #ready} are read
 * by others too.
 */
final class ContainerRun {
  final Pod pod;
  final Instant accepted;
  final int port;
  volatile PodProcess process;
  volatile boolean ready;
  boolean deleting;
  PodStatus written;
  private long pid;
  private Instant runningSince;
  private Instant readyChanged;
  private int restartCount;
  private int backoffStep;
  private Termination last;
  private String waitingReason = "ContainerCreating";
  private String waitingMessage;
  private Instant nextStart;
  private int probeFailures;

  ContainerRun(Pod pod, Instant accepted, int port) {
    this.pod = pod;
    this.accepted = accepted;
    this.port = port;
    this.nextStart = accepted;
  }

  String key() {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  /** Whether a process should be started now. */
  boolean due(Instant now) {
    return runningSince == null && !deleting && !now.isBefore(nextStart);
  }

  void started(PodProcess process, long pid, Instant now) {
    if (last != null) {
      restartCount++;
    }
    this.process = process;
    this.pid = pid;
    runningSince = now;
    waitingReason = null;
    waitingMessage = null;
    probeFailures = 0;
  }

  /** The container could not be created; tried again after {@code retry}. */
  void notStartable(String reason, String message, Instant now, Duration retry) {
    waitingReason = reason;
    waitingMessage = message;
    nextStart = now.plus(retry);
  }

  /** The process exited on its own: the next start waits for the back-off. */
  void exited(int exitCode, Instant now) {
    if (Duration.between(runningSince, now).compareTo(CrashLoopBackoff.RESET_AFTER) >= 0) {
      backoffStep = 0;
    }
    last = Termination.of(exitCode, runningSince, now);
    Duration delay = CrashLoopBackoff.delay(backoffStep++);
    process = null;
    runningSince = null;
    setReady(false, now);
    nextStart = now.plus(delay);
    waitingReason = delay.isZero() ? "ContainerCreating" : "CrashLoopBackOff";
    waitingMessage =
        delay.isZero()
            ? null
            : "back-off "
                + delay.toSeconds()
                + "s restarting failed container="
                + pod.getSpec().getContainers().get(0).getName()
                + " pod="
                + pod.getMetadata().getName()
                + "_"
                + pod.getMetadata().getNamespace();
  }

  void probed(boolean ok, Instant now, int failureThreshold) {
    probeFailures = ok ? 0 : probeFailures + 1;
    if (ok) {
      setReady(true, now);
    } else if (probeFailures >= failureThreshold) {
      setReady(false, now);
    }
  }

  private void setReady(boolean value, Instant now) {
    if (value != ready) {
      ready = value;
      readyChanged = now;
    }
  }

  int restartCount() {
    return restartCount;
  }

  ContainerSnapshot snapshot() {
    return new ContainerSnapshot(
        accepted,
        runningSince,
        ready,
        readyChanged,
        restartCount,
        last,
        waitingReason,
        waitingMessage,
        pid);
  }
}
