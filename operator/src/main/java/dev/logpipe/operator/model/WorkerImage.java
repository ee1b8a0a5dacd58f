package dev.logpipe.operator.model;

import java.util.Set;

/**
 * Which pipeline-worker image the operator deploys; comes from the operator's own configuration.
 */
public record WorkerImage(String image, String pullPolicy) {
  private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");

  public WorkerImage {
    if (image == null || image.isBlank()) {
      throw new IllegalArgumentException("worker image must be set");
    }
    if (!PULL_POLICIES.contains(pullPolicy)) {
      throw new IllegalArgumentException(
          "worker image pull policy must be one of " + PULL_POLICIES + ", was " + pullPolicy);
    }
  }
}
