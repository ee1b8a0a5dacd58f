package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.status.ConditionType.CacheReady;
import static dev.logpipe.operator.status.ConditionType.CredentialsReady;
import static dev.logpipe.operator.status.ConditionType.GatewayAvailable;
import static dev.logpipe.operator.status.ConditionType.StorageReady;
import static dev.logpipe.operator.status.ConditionType.TopicReady;
import static dev.logpipe.operator.status.ConditionType.WorkersAvailable;

import dev.logpipe.operator.api.v1alpha1.GatewayStatus;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.api.v1alpha1.LogPipelineStatus;
import dev.logpipe.operator.api.v1alpha1.StorageStatus;
import dev.logpipe.operator.api.v1alpha1.TopicStatus;
import dev.logpipe.operator.api.v1alpha1.WorkersStatus;
import dev.logpipe.operator.dependent.ClickHouseTableDependentResource;
import dev.logpipe.operator.dependent.ConfigMapDependentResource;
import dev.logpipe.operator.dependent.CredentialsSecretDependentResource;
import dev.logpipe.operator.dependent.DeadLetterTopicDependentResource;
import dev.logpipe.operator.dependent.GatewayDeploymentDependentResource;
import dev.logpipe.operator.dependent.GatewayServiceDependentResource;
import dev.logpipe.operator.dependent.GatewayTokenSecretDependentResource;
import dev.logpipe.operator.dependent.KafkaTopicDependentResource;
import dev.logpipe.operator.dependent.PipelineInputs;
import dev.logpipe.operator.dependent.RedisNamespaceDependentResource;
import dev.logpipe.operator.dependent.WorkerDeploymentDependentResource;
import dev.logpipe.operator.model.GatewayDeploymentFactory;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.operator.model.WorkerDeploymentFactory;
import dev.logpipe.operator.status.ConditionResult;
import dev.logpipe.operator.status.Reason;
import dev.logpipe.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads what the workflow did and what the children report into the pipeline's conditions: a failed
 * dependent explains its condition; otherwise the child's own status decides readiness.
 */
final class PipelineStatusBuilder {
  private final LogPipeline pipeline;
  private final Context<LogPipeline> context;
  private final PipelineInputs in;
  private final Map<String, Exception> errors = new HashMap<>();
  private final Set<String> notReady;
  // Set by autoscaling: the replicas the workers must reach (null: the Deployment's own).
  private Integer desiredWorkers;
  private boolean desiredWorkersSet;
  private final ClickHouseUserOutcome clickHouseUser;

  PipelineStatusBuilder(
      LogPipeline pipeline,
      Context<LogPipeline> context,
      WorkflowReconcileResult result,
      ClickHouseUserOutcome clickHouseUser) {
    this.pipeline = pipeline;
    this.clickHouseUser = clickHouseUser;
    this.context = context;
    this.in = PipelineInputs.of(pipeline, context);
    result.getErroredDependents().forEach((dependent, e) -> errors.put(dependent.name(), e));
    notReady =
        result.getNotReadyDependents().stream()
            .map(DependentResource::name)
            .collect(Collectors.toUnmodifiableSet());
  }

  /** Replicas the workers must reach instead of spec.workers.replicas (autoscaling). */
  void desiredWorkers(Integer replicas) {
    desiredWorkers = replicas;
    desiredWorkersSet = true;
  }

  List<String> failedDependents() {
    return List.copyOf(errors.keySet());
  }

  LogPipelineStatus build(
      StatusAggregator aggregator, List<io.fabric8.kubernetes.api.model.Condition> old) {
    PipelineNames names = in.names();
    boolean deadLetter = pipeline.getSpec().getDeadLetter().isEnabled();
    topic(names, deadLetter).applyTo(aggregator, TopicReady);
    storage(names).applyTo(aggregator, StorageReady);
    Deployment deployment = deployment(names.workerDeployment());
    String stopped = stoppedBecause(names);
    int desired = pipeline.getSpec().getWorkers().getReplicas();
    if (desiredWorkersSet) {
      desired = desiredWorkers != null ? desiredWorkers : replicasOf(deployment, desired);
    }
    if (stopped != null) {
      desired = 0;
    }
    (stopped != null
            ? ConditionResult.isFalse(Reason.Stopped, "Workers " + stopped)
            : workers(deployment, desired))
        .applyTo(aggregator, WorkersAvailable);
    cache(names).applyTo(aggregator, CacheReady);
    CredentialsReadiness.withRotation(
            CredentialsReadiness.of(
                in,
                errors,
                clickHouseUser,
                KafkaUserReadiness.of(in, errors, context.getSecondaryResources(KafkaUser.class))),
            CredentialsSecretDependentResource.rotationHandled(pipeline, context),
            in.cacheActive() || in.kafkaAuthentication())
        .applyTo(aggregator, CredentialsReady);
    boolean gateway = pipeline.getSpec().getGateway().isEnabled();
    if (gateway) {
      (stopped != null
              ? ConditionResult.isFalse(Reason.Stopped, "Gateway " + stopped)
              : gateway(names))
          .applyTo(aggregator, GatewayAvailable);
    }

    LogPipelineStatus status = new LogPipelineStatus();
    status.setConditions(aggregator.conditions(old));
    status.setObservedGeneration(aggregator.observedGeneration());
    status.setTopic(new TopicStatus(names.topic(), deadLetter ? names.deadLetterTopic() : null));
    status.setStorage(new StorageStatus(names.database(), names.table()));
    status.setWorkers(new WorkersStatus(desired, WorkerAvailability.ready(deployment)));
    if (gateway) {
      status.setGateway(new GatewayStatus(names.gatewayUrl(), names.gatewayTokenSecret()));
    }
    return status;
  }

  /**
   * Why the operator keeps the pods at 0 although the pipeline is accepted (its table belongs to
   * another pipeline), as the end of a sentence; null when it does not.
   */
  private String stoppedBecause(PipelineNames names) {
    Exception e = errors.get(ClickHouseTableDependentResource.NAME);
    if (DependentFailures.backendReason(e) == Reason.StorageOwnedByOther) {
      return "scaled to 0: table "
          + names.database()
          + "."
          + names.table()
          + " belongs to another pipeline (see StorageReady).";
    }
    return null;
  }

  private static int replicasOf(Deployment deployment, int fallback) {
    return deployment == null || deployment.getSpec().getReplicas() == null
        ? fallback
        : deployment.getSpec().getReplicas();
  }

  // Worker and gateway Deployments come from two informers, so pick by name.
  private Deployment deployment(String name) {
    return context.getSecondaryResources(Deployment.class).stream()
        .filter(d -> name.equals(d.getMetadata().getName()))
        .findFirst()
        .orElse(null);
  }

  private ConditionResult topic(PipelineNames names, boolean deadLetter) {
    String ns = in.backendSpec().getKafka().getStrimziCluster().getNamespace();
    for (String dependent :
        List.of(KafkaTopicDependentResource.NAME, DeadLetterTopicDependentResource.NAME)) {
      if (errors.containsKey(dependent)) {
        return DependentFailures.describe(errors.get(dependent), "the KafkaTopics in " + ns);
      }
    }
    Map<String, KafkaTopic> found = new HashMap<>();
    context
        .getSecondaryResources(KafkaTopic.class)
        .forEach(t -> found.put(t.getMetadata().getName(), t));
    List<TopicReadiness.Expected> expected = new ArrayList<>();
    expected.add(new TopicReadiness.Expected(ns, names.topic(), found.get(names.topic())));
    if (deadLetter) {
      String dlq = names.deadLetterTopic();
      expected.add(new TopicReadiness.Expected(ns, dlq, found.get(dlq)));
    }
    return TopicReadiness.of(expected);
  }

  private ConditionResult storage(PipelineNames names) {
    String table = names.database() + "." + names.table();
    Exception e = errors.get(ClickHouseTableDependentResource.NAME);
    if (e != null) {
      return DependentFailures.describe(e, "ClickHouse table " + table);
    }
    if (notReady.contains(ClickHouseTableDependentResource.NAME)) {
      return ConditionResult.unknown(
          Reason.StorageProvisioning,
          "Table "
              + table
              + " is being created or migrated on "
              + in.backendSpec().getClickhouse().getUrl()
              + "; the pipeline is checked again as soon as that finishes.");
    }
    return ConditionResult.isTrue(
        Reason.StorageReady,
        "Table "
            + table
            + " is ready with a retention of "
            + pipeline.getSpec().getStorage().getRetentionDays()
            + " days.");
  }

  /**
   * A credentials Secret that waits for Strimzi's new passwords during a rotation: the pods keep
   * running on the current one, so availability is the Deployment's (CredentialsReady says what the
   * rotation waits for) and Ready does not flap on every rotation.
   */
  private boolean rotating(String dependent) {
    return dependent.equals(CredentialsSecretDependentResource.NAME)
        && DependentFailures.backendReason(errors.get(dependent)) == Reason.KafkaUserPending
        && CredentialsSecretDependentResource.rotationPending(pipeline, context);
  }

  private ConditionResult workers(Deployment deployment, int desired) {
    for (String dependent :
        List.of(
            CredentialsSecretDependentResource.NAME,
            ConfigMapDependentResource.NAME,
            WorkerDeploymentDependentResource.NAME)) {
      if (errors.containsKey(dependent) && !rotating(dependent)) {
        return DependentFailures.describe(
            errors.get(dependent), "the workers' " + dependent + " in " + in.names().namespace());
      }
    }
    return WorkerAvailability.of(
        WorkerAvailability.WORKERS, deployment, desired, pods(WorkerDeploymentFactory.COMPONENT));
  }

  private ConditionResult gateway(PipelineNames names) {
    for (String dependent :
        List.of(
            CredentialsSecretDependentResource.NAME,
            ConfigMapDependentResource.NAME,
            GatewayTokenSecretDependentResource.NAME,
            GatewayDeploymentDependentResource.NAME,
            GatewayServiceDependentResource.NAME)) {
      if (errors.containsKey(dependent) && !rotating(dependent)) {
        return DependentFailures.describe(
            errors.get(dependent), "the gateway's " + dependent + " in " + names.namespace());
      }
    }
    return WorkerAvailability.of(
        WorkerAvailability.GATEWAY,
        deployment(names.gatewayDeployment()),
        pipeline.getSpec().getGateway().getReplicas(),
        pods(GatewayDeploymentFactory.COMPONENT));
  }

  // From the pod informer (LogPipelineEventSources), which holds only this operator's pods.
  private List<Pod> pods(String component) {
    return context.getSecondaryResources(Pod.class).stream()
        .filter(p -> component.equals(p.getMetadata().getLabels().get(PipelineNames.COMPONENT)))
        .toList();
  }

  private ConditionResult cache(PipelineNames names) {
    if (!pipeline.getSpec().getCache().isEnabled()) {
      return ConditionResult.isTrue(Reason.Disabled, "The cache is switched off in spec.cache.");
    }
    if (in.backendSpec().getRedis() == null) {
      return ConditionResult.isFalse(
          Reason.RedisNotConfigured,
          "ClusterLogBackend "
              + in.backend().getMetadata().getName()
              + " has no Redis; logs are stored without a live cache.");
    }
    Exception e = errors.get(RedisNamespaceDependentResource.NAME);
    if (e != null) {
      return DependentFailures.describe(e, "the Redis cache");
    }
    return ConditionResult.isTrue(
        Reason.CacheReady,
        "Redis answers; this pipeline's keys start with " + names.redisKeyPrefix() + ".");
  }
}
