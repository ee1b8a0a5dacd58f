package dev.logpipe.sandbox.pods;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One step of a Deployment's RollingUpdate as the sandbox runs it (maxSurge 1, maxUnavailable 0):
 * scale the current template's pods to the desired count, and while pods of an older template
 * remain, start one new pod at a time and stop an old one each time the new ones are all ready.
 * Exited pods are always dropped (and so replaced, like restartPolicy Always).
 *
 * @param start how many new pods to start
 * @param stop the pods to stop (exited ones included)
 */
record RolloutStep<P extends RunningPod>(int start, List<P> stop) {

  static <P extends RunningPod> RolloutStep<P> plan(int desired, String hash, List<P> pods) {
    List<P> stop = new ArrayList<>(pods.stream().filter(p -> !p.alive()).toList());
    List<P> current = new ArrayList<>();
    List<P> old = new ArrayList<>();
    for (P pod : pods) {
      if (pod.alive()) {
        (pod.templateHash().equals(hash) ? current : old).add(pod);
      }
    }
    // Stop not-ready pods first, as the ReplicaSet controller does when scaling down.
    Comparator<P> notReadyFirst = Comparator.comparing(RunningPod::ready);
    current.sort(notReadyFirst);
    old.sort(notReadyFirst);
    while (current.size() > desired) {
      stop.add(current.remove(0));
    }
    if (old.isEmpty()) {
      return new RolloutStep<>(desired - current.size(), stop);
    }
    boolean currentReady = current.stream().allMatch(RunningPod::ready);
    if (!currentReady) {
      return new RolloutStep<>(0, stop);
    }
    int start = current.size() < desired ? 1 : 0;
    int excess = Math.min(old.size(), current.size() + old.size() - desired);
    for (int i = 0; i < excess; i++) {
      stop.add(old.get(i));
    }
    return new RolloutStep<>(start, stop);
  }
}
