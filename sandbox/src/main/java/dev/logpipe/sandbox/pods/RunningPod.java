package dev.logpipe.sandbox.pods;

/** What the rollout logic needs to know of a pod. */
interface RunningPod {
  /** The pod template hash the pod was started from. */
  String templateHash();

  boolean alive();

  boolean ready();
}
