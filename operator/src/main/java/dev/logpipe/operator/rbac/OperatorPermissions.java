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
     * Namespaces of the Strimzi Kafka clusters named by ClusterLogBackends, where KafkaTopics and
     * KafkaUsers are created: a ClusterRole when watching every namespace, a Role in each listed
     * one otherwise.
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
  private static final List<String> WATCH = List.of("list", "watch");
  // Children are written by server-side apply (patch, plus create when the apply makes them),
  // except ConfigMaps and Secrets, which JOSDK creates and replaces (defaultNonSSAResources).
  private static final List<String> APPLY_DELETE =
      List.of("list", "watch", "create", "patch", "delete");
  private static final List<String> REPLACE = List.of("list", "watch", "create", "update");
  private static final List<String> REPLACE_DELETE =
      List.of("list", "watch", "create", "update", "delete");

  public static final List<Permission> ALL =
      List.of(
          // logpipe.dev: the primaries. Status and the finalizer are written, spec never.
          new Permission(
              "logpipe.dev",
              "logpipelines",
              List.of("get", "list", "watch", "patch"),
              Scope.PIPELINE_NAMESPACES,
              "watch LogPipelines; add/remove the finalizer (get: re-read after a conflict)"),
          new Permission(
              "logpipe.dev",
              "logpipelines/status",
              List.of("patch"),
              Scope.PIPELINE_NAMESPACES,
              "report conditions (server-side apply)"),
          new Permission(
              "logpipe.dev",
              "clusterlogbackends",
              WATCH,
              Scope.CLUSTER,
              "watch backends (their reconciler, and the pipelines' backend informer)"),
          new Permission(
              "logpipe.dev",
              "clusterlogbackends/status",
              List.of("patch"),
              Scope.CLUSTER,
              "report reachability (server-side apply)"),
          // Strimzi: topics live in the Kafka cluster's namespace, tied back by labels.
          new Permission(
              "kafka.strimzi.io",
              "kafkatopics",
              APPLY_DELETE,
              Scope.KAFKA_NAMESPACES,
              "a topic and a dead-letter topic per pipeline; deleted with deletionPolicy Delete"),
          new Permission(
              "kafka.strimzi.io",
              "kafkausers",
              APPLY_DELETE,
              Scope.KAFKA_NAMESPACES,
              "with Kafka authentication, a KafkaUser per pipeline for the workers and one for the"
                  + " gateway; deleted with the pipeline or its part"),
          // RBAC cannot narrow by label: the informer itself asks only for
          // strimzi.io/kind=KafkaUser
          // and copies only the passwords of the pipelines' own KafkaUsers.
          // delete: a rotation request (logpipe.dev/rotate-credentials) deletes a KafkaUser's
          // Secret, only one owned by the pipeline's own KafkaUser, so that Strimzi generates a
          // new password (how its User Operator renews generated passwords; no create or update).
          new Permission(
              "",
              "secrets",
              List.of("list", "watch", "delete"),
              Scope.KAFKA_NAMESPACES,
              "read the passwords Strimzi's User Operator writes for the pipelines' KafkaUsers;"
                  + " delete one to have it generate a new password (rotation)"),
          // Per-pipeline children in the pipeline's namespace; owner references let the garbage
          // collector remove them with the pipeline, so only a switched-off part is deleted.
          new Permission(
              "", "configmaps", REPLACE, Scope.PIPELINE_NAMESPACES, "the worker's PipelineConfig"),
          new Permission(
              "",
              "secrets",
              REPLACE_DELETE,
              Scope.PIPELINE_NAMESPACES,
              "per-pipeline copy of the backend credentials; the gateway token"),
          new Permission(
              "", "services", APPLY_DELETE, Scope.PIPELINE_NAMESPACES, "gateway Service"),
          new Permission(
              "apps", "deployments", APPLY_DELETE, Scope.PIPELINE_NAMESPACES, "worker and gateway"),
          new Permission(
              "",
              "pods",
              WATCH,
              Scope.PIPELINE_NAMESPACES,
              "the worker and gateway pods: a crash loop or an image pull failure shows only there"),
          // Autoscaling: a user's HPA or KEDA ScaledObject on a worker Deployment wins, so the
          // autoscaler looks for them (once a minute per namespace with autoscaled pipelines).
          new Permission(
              "autoscaling",
              "horizontalpodautoscalers",
              List.of("list"),
              Scope.PIPELINE_NAMESPACES,
              "leave replicas alone when an HPA targets a worker Deployment"),
          new Permission(
              "keda.sh",
              "scaledobjects",
              List.of("list"),
              Scope.PIPELINE_NAMESPACES,
              "leave replicas alone when a KEDA ScaledObject targets a worker Deployment (a"
                  + " missing KEDA CRD answers 404, which means none)"),
          // Backend guardrails and credentials.
          new Permission(
              "",
              "namespaces",
              WATCH,
              Scope.CLUSTER,
              "match pipeline namespaces against a backend's allowedNamespaces selector"),
          new Permission(
              "",
              "secrets",
              READ,
              Scope.OPERATOR_NAMESPACE,
              "read backend credential Secrets (kept in the operator's namespace)"),
          // Leader election (Lease logpipe-operator): fabric8's LeaseLock gets, creates and
          // patches it.
          new Permission(
              "coordination.k8s.io",
              "leases",
              List.of("get", "create", "patch", "update"),
              Scope.OPERATOR_NAMESPACE,
              "leader election"));

  /**
   * Calls Kubernetes' default ClusterRoles allow every authenticated user (system:basic-user), so
   * the chart grants nothing for them; listed so a test can tell them from a missing grant.
   */
  public static final List<Permission> BY_DEFAULT =
      List.of(
          new Permission(
              "authorization.k8s.io",
              "selfsubjectrulesreviews",
              List.of("create"),
              Scope.CLUSTER,
              "JOSDK asks which Lease verbs it has before leader election"));

  /** A granted verb that the operator's tests cannot exercise against the mock API server. */
  public record Unexercised(String apiGroup, String resource, String verb, String why) {}

  /**
   * Grants no test can show in use, each with the reason; operator {@code OperatorApiCallsIT} fails
   * on any other grant its full lifecycle run did not use.
   */
  public static final List<Unexercised> NOT_EXERCISED =
      List.of(
          new Unexercised(
              "autoscaling",
              "horizontalpodautoscalers",
              "list",
              "used only for pipelines with workers.autoscaling, after a measuring round:"
                  + " AutoscalingIT asserts the call, the lifecycle run has no such pipeline"),
          new Unexercised(
              "keda.sh",
              "scaledobjects",
              "list",
              "as horizontalpodautoscalers: asserted by AutoscalingIT"),
          new Unexercised(
              "coordination.k8s.io",
              "leases",
              "update",
              "never sent (fabric8 patches the Lease), but JOSDK refuses to start leader election"
                  + " unless a SelfSubjectRulesReview lists get, create and update on leases"));

  private OperatorPermissions() {}

  /** The rules of one scope, in declaration order. */
  public static List<Permission> in(Scope scope) {
    return ALL.stream().filter(p -> p.scope() == scope).toList();
  }
}
