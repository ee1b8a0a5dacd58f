package dev.logpipe.operator.rbac;

import java.util.List;

/**
 * Every Kubernetes API call the operator makes, as plain data in one place. The Helm chart's RBAC
 * templates grant exactly these rules (deploy-tests {@code ChartRbacTest} renders the chart and
 * fails on a missing or an extra grant), so a new API call in the operator starts here.
 */
public final class OperatorPermissions {

  /** Where a rule must hold; decides whether the chart grants it by ClusterRole or Role. */
  public enum Scope {
    /** Cluster-scoped resources (or cluster-wide reads): always a ClusterRole. */
    CLUSTER,
    /**
     * Namespaces with LogPipelines: a ClusterRole when the operator watches every namespace, a Role
     * in each watched namespace otherwise.
     */
    PIPELINE_NAMESPACES,
    /**
     * Namespaces of the Strimzi Kafka clusters named by ClusterLogBackends, where KafkaTopics are
     * created: a ClusterRole when watching every namespace, a Role in each listed one otherwise.
     */
    KAFKA_NAMESPACES,
    /** The operator's own namespace (leader election, backend credential Secrets): a Role. */
    OPERATOR_NAMESPACE
  }

  /** One RBAC rule: API group ("" for core), resource (with subresource), verbs, scope, why. */
  public record Permission(
      String apiGroup, String resource, List<String> verbs, Scope scope, String why) {
    public Permission {
      verbs = List.copyOf(verbs);
    }
  }

  private static final List<String> READ = List.of("get", "list", "watch");
  private static final List<String> READ_UPDATE =
      List.of("get", "list", "watch", "patch", "update");
  private static final List<String> OWN =
      List.of("get", "list", "watch", "create", "patch", "update", "delete");
  private static final List<String> WRITE_SUBRESOURCE = List.of("get", "patch", "update");

  public static final List<Permission> ALL =
      List.of(
          // logpipe.dev: the primaries. Status and finalizers are written, spec never.
          new Permission(
              "logpipe.dev",
              "logpipelines",
              READ_UPDATE,
              Scope.PIPELINE_NAMESPACES,
              "watch LogPipelines; add/remove the finalizer"),
          new Permission(
              "logpipe.dev",
              "logpipelines/status",
              WRITE_SUBRESOURCE,
              Scope.PIPELINE_NAMESPACES,
              "report conditions"),
          new Permission(
              "logpipe.dev",
              "logpipelines/finalizers",
              WRITE_SUBRESOURCE,
              Scope.PIPELINE_NAMESPACES,
              "set owner references with blockOwnerDeletion on children"),
          new Permission(
              "logpipe.dev",
              "clusterlogbackends",
              READ_UPDATE,
              Scope.CLUSTER,
              "watch backends; finalizer"),
          new Permission(
              "logpipe.dev",
              "clusterlogbackends/status",
              WRITE_SUBRESOURCE,
              Scope.CLUSTER,
              "report reachability"),
          new Permission(
              "logpipe.dev",
              "clusterlogbackends/finalizers",
              WRITE_SUBRESOURCE,
              Scope.CLUSTER,
              "owner references to a backend"),
          // Strimzi: topics live in the Kafka cluster's namespace, tied back by labels.
          new Permission(
              "kafka.strimzi.io",
              "kafkatopics",
              OWN,
              Scope.KAFKA_NAMESPACES,
              "a topic and a dead-letter topic per pipeline"),
          // Per-pipeline children in the pipeline's namespace.
          new Permission(
              "", "configmaps", OWN, Scope.PIPELINE_NAMESPACES, "the worker's PipelineConfig"),
          new Permission(
              "",
              "secrets",
              OWN,
              Scope.PIPELINE_NAMESPACES,
              "per-pipeline copy of the backend credentials"),
          new Permission("", "services", OWN, Scope.PIPELINE_NAMESPACES, "gateway Service"),
          new Permission(
              "apps", "deployments", OWN, Scope.PIPELINE_NAMESPACES, "worker and gateway"),
          new Permission(
              "", "events", List.of("create", "patch"), Scope.PIPELINE_NAMESPACES, "events"),
          // Backend guardrails and credentials.
          new Permission(
              "",
              "namespaces",
              READ,
              Scope.CLUSTER,
              "match pipeline namespaces against a backend's allowedNamespaces selector"),
          new Permission(
              "",
              "secrets",
              READ,
              Scope.OPERATOR_NAMESPACE,
              "read backend credential Secrets (kept in the operator's namespace)"),
          // Leader election (Lease logpipe-operator): fabric8's LeaseLock gets, creates and
          // patches; JOSDK's startup check asks for get/create/update.
          new Permission(
              "coordination.k8s.io",
              "leases",
              List.of("get", "create", "update", "patch"),
              Scope.OPERATOR_NAMESPACE,
              "leader election"));

  private OperatorPermissions() {}

  /** The rules of one scope, in declaration order. */
  public static List<Permission> in(Scope scope) {
    return ALL.stream().filter(p -> p.scope() == scope).toList();
  }
}
