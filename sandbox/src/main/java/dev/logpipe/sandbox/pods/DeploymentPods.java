package dev.logpipe.sandbox.pods;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The sandbox's own state for one Deployment: its pods and where its rollout stands. */
final class DeploymentPods {
  final String namespace;
  final String name;
  final List<PodProcess> pods = new ArrayList<>();
  final java.util.Map<String, Boolean> reportedReady = new java.util.HashMap<>();
  String templateHash = "";
  Instant rolloutStarted = Instant.EPOCH;
  Instant nextStart = Instant.EPOCH;
  int quickExits;
  String lastProblem;

  DeploymentPods(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
  }

  /** A pod that exited on its own soon after starting delays the next start (crash loop). */
  void exited(PodProcess pod, Instant now) {
    if (Duration.between(pod.started(), now).compareTo(Duration.ofSeconds(30)) < 0) {
      quickExits++;
      nextStart = now.plusSeconds(Math.min(30, 1L << Math.min(5, quickExits)));
    } else {
      quickExits = 0;
    }
  }
}
