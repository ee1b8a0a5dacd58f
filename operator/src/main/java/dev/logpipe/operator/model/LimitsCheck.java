package dev.logpipe.operator.model;

import dev.logpipe.operator.api.v1alpha1.BackendLimits;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackendSpec;
import dev.logpipe.operator.api.v1alpha1.LogPipelineSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Guardrails: may this pipeline use this backend, and does it stay within the backend's limits?
 * Every violation says which limit and by how much, so the status tells the user what to change.
 */
public final class LimitsCheck {
  public static final String NAMESPACE_FIELD = "metadata.namespace";

  /** One broken rule; {@code field} is the spec path at fault (or {@link #NAMESPACE_FIELD}). */
  public record Violation(String field, String message) {
    public boolean namespaceNotAllowed() {
      return NAMESPACE_FIELD.equals(field);
    }
  }

  private LimitsCheck() {}

  /**
   * @param namespaceLabels labels of the pipeline's Namespace object
   * @return violations, namespace first; empty when the pipeline may be built
   */
  public static List<Violation> check(
      String namespace,
      Map<String, String> namespaceLabels,
      LogPipelineSpec spec,
      String backendName,
      ClusterLogBackendSpec backend) {
    List<Violation> violations = new ArrayList<>();
    if (!LabelSelectors.matches(backend.getAllowedNamespaces(), namespaceLabels)) {
      violations.add(
          new Violation(
              NAMESPACE_FIELD,
              "namespace "
                  + namespace
                  + " may not use ClusterLogBackend "
                  + backendName
                  + ": its labels do not match the backend's allowedNamespaces ("
                  + LabelSelectors.describe(backend.getAllowedNamespaces())
                  + ")"));
    }
    BackendLimits limits = backend.getLimits();
    atMost(
        violations,
        "topic.partitions",
        spec.getTopic().getPartitions(),
        limits.getMaxPartitions(),
        "maxPartitions");
    atMost(
        violations,
        "topic.replicas",
        spec.getTopic().getReplicas(),
        limits.getMaxReplicas(),
        "maxReplicas");
    atMost(
        violations,
        "topic.retentionHours",
        spec.getTopic().getRetentionHours(),
        limits.getMaxRetentionHours(),
        "maxRetentionHours");
    if (spec.getWorkers().getAutoscaling() == null) {
      atMost(
          violations,
          "workers.replicas",
          spec.getWorkers().getReplicas(),
          limits.getMaxWorkers(),
          "maxWorkers");
    } else {
      atMost(
          violations,
          "workers.autoscaling.maxReplicas",
          spec.getWorkers().getAutoscaling().getMaxReplicas(),
          limits.getMaxWorkers(),
          "maxWorkers");
    }
    atMost(
        violations,
        "storage.retentionDays",
        spec.getStorage().getRetentionDays(),
        limits.getMaxRetentionDays(),
        "maxRetentionDays");
    return violations;
  }

  private static void atMost(
      List<Violation> out, String field, int requested, int limit, String limitName) {
    if (requested > limit) {
      out.add(
          new Violation(
              field,
              field
                  + " "
                  + requested
                  + " exceeds the backend limit of "
                  + limit
                  + " by "
                  + (requested - limit)
                  + " (limits."
                  + limitName
                  + ")"));
    }
  }
}
