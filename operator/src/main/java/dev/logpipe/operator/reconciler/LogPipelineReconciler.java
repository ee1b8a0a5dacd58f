package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.status.ConditionType.Accepted;
import static dev.logpipe.operator.status.ConditionType.GatewayAvailable;
import static dev.logpipe.operator.status.ConditionType.StorageReady;
import static dev.logpipe.operator.status.ConditionType.TopicReady;
import static dev.logpipe.operator.status.ConditionType.WorkersAvailable;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.api.v1alpha1.LogPipelineStatus;
import dev.logpipe.operator.autoscale.Autoscaler;
import dev.logpipe.operator.dependent.BackendSecrets;
import dev.logpipe.operator.dependent.CacheEnabledCondition;
import dev.logpipe.operator.dependent.ClickHouseTableDependentResource;
import dev.logpipe.operator.dependent.ConfigMapDependentResource;
import dev.logpipe.operator.dependent.CredentialsSecretDependentResource;
import dev.logpipe.operator.dependent.DeadLetterEnabledCondition;
import dev.logpipe.operator.dependent.DeadLetterTopicDependentResource;
import dev.logpipe.operator.dependent.GatewayDeploymentDependentResource;
import dev.logpipe.operator.dependent.GatewayEnabledCondition;
import dev.logpipe.operator.dependent.GatewayKafkaUserCondition;
import dev.logpipe.operator.dependent.GatewayKafkaUserDependentResource;
import dev.logpipe.operator.dependent.GatewayServiceDependentResource;
import dev.logpipe.operator.dependent.GatewayTokenSecretDependentResource;
import dev.logpipe.operator.dependent.KafkaAuthenticationCondition;
import dev.logpipe.operator.dependent.KafkaTopicDependentResource;
import dev.logpipe.operator.dependent.RedisNamespaceDependentResource;
import dev.logpipe.operator.dependent.StorageProvisionedCondition;
import dev.logpipe.operator.dependent.WorkerDeploymentDependentResource;
import dev.logpipe.operator.dependent.WorkerKafkaUserDependentResource;
import dev.logpipe.operator.external.AdminPool;
import dev.logpipe.operator.external.BackendException;
import dev.logpipe.operator.external.ClickHouseAdmin;
import dev.logpipe.operator.status.ConditionResult;
import dev.logpipe.operator.status.ConditionStatus;
import dev.logpipe.operator.status.Reason;
import dev.logpipe.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one LogPipeline: guardrails first, then the workflow of dependents (only for an accepted
 * pipeline), then the status, patched only when it changed. Failed dependents become conditions and
 * the pipeline is retried with backoff; nothing here is shared between pipelines, so one broken
 * pipeline only ever occupies its own reconciliation.
 */
@ControllerConfiguration(
    name = LogPipelineReconciler.NAME,
    // A rotation request changes metadata only: LogPipelineUpdateFilter lets it (and what the
    // generation-aware filter let through) start a reconciliation.
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = LogPipelineUpdateFilter.class))
@GradualRetry(
    maxAttempts = -1,
    initialInterval = 1_000,
    intervalMultiplier = 2,
    maxInterval = BackendException.RETRY_MAX_SECONDS * 1_000L)
@Workflow(
    explicitInvocation = true,
    handleExceptionsInReconciler = true,
    dependents = {
      @Dependent(
          name = CredentialsSecretDependentResource.NAME,
          type = CredentialsSecretDependentResource.class),
      @Dependent(name = ConfigMapDependentResource.NAME, type = ConfigMapDependentResource.class),
      @Dependent(
          name = WorkerDeploymentDependentResource.NAME,
          type = WorkerDeploymentDependentResource.class,
          dependsOn = {CredentialsSecretDependentResource.NAME, ConfigMapDependentResource.NAME}),
      @Dependent(name = KafkaTopicDependentResource.NAME, type = KafkaTopicDependentResource.class),
      @Dependent(
          name = DeadLetterTopicDependentResource.NAME,
          type = DeadLetterTopicDependentResource.class,
          reconcilePrecondition = DeadLetterEnabledCondition.class),
      // Not a dependsOn of the credentials Secret: an unmet precondition would delete its
      // dependents. The Secret waits for Strimzi's user Secrets instead (KafkaUserPending).
      @Dependent(
          name = WorkerKafkaUserDependentResource.NAME,
          type = WorkerKafkaUserDependentResource.class,
          reconcilePrecondition = KafkaAuthenticationCondition.class),
      @Dependent(
          name = GatewayKafkaUserDependentResource.NAME,
          type = GatewayKafkaUserDependentResource.class,
          reconcilePrecondition = GatewayKafkaUserCondition.class),
      @Dependent(
          name = ClickHouseTableDependentResource.NAME,
          type = ClickHouseTableDependentResource.class,
          readyPostcondition = StorageProvisionedCondition.class),
      @Dependent(
          name = RedisNamespaceDependentResource.NAME,
          type = RedisNamespaceDependentResource.class,
          // The Redis user's password is made in the credentials Secret.
          dependsOn = CredentialsSecretDependentResource.NAME,
          reconcilePrecondition = CacheEnabledCondition.class),
      @Dependent(
          name = GatewayTokenSecretDependentResource.NAME,
          type = GatewayTokenSecretDependentResource.class,
          reconcilePrecondition = GatewayEnabledCondition.class),
      @Dependent(
          name = GatewayDeploymentDependentResource.NAME,
          type = GatewayDeploymentDependentResource.class,
          dependsOn = {
            CredentialsSecretDependentResource.NAME,
            ConfigMapDependentResource.NAME,
            GatewayTokenSecretDependentResource.NAME
          },
          reconcilePrecondition = GatewayEnabledCondition.class),
      @Dependent(
          name = GatewayServiceDependentResource.NAME,
          type = GatewayServiceDependentResource.class,
          reconcilePrecondition = GatewayEnabledCondition.class)
    })
public class LogPipelineReconciler implements Reconciler<LogPipeline>, Cleaner<LogPipeline> {
  public static final String NAME = "logpipeline";

  /** How soon a deletion that waits for a cleanup step is tried (and reported) again. */
  static final Duration CLEANUP_RETRY = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(LogPipelineReconciler.class);

  private final String operatorNamespace;
  private final Set<String> kafkaNamespaces;
  private final Duration resync;
  private final Clock clock;
  private final Autoscaler autoscaler;
  private final PipelineAutoscaling autoscaling;
  private final ClickHouseUserStatus clickHouseUsers;

  /**
   * @param kafkaNamespaces the Strimzi namespaces the operator may watch (namespaced RBAC); empty:
   *     every namespace
   * @param resync how often a pipeline is reconciled without events, re-checking ClickHouse, Redis
   *     and the children's status
   * @param autoscaler sizes the workers of pipelines with spec.workers.autoscaling
   * @param clickHouse the ClickHouse admin clients, whose backend checks found out whether the
   *     server can hold per-pipeline users (reported in CredentialsReady)
   */
  public LogPipelineReconciler(
      String operatorNamespace,
      Set<String> kafkaNamespaces,
      Duration resync,
      Clock clock,
      Autoscaler autoscaler,
      AdminPool<ClickHouseAdmin> clickHouse,
      BackendSecrets secrets) {
    this.clickHouseUsers = new ClickHouseUserStatus(clickHouse, secrets);
    this.operatorNamespace = operatorNamespace;
    this.kafkaNamespaces = Set.copyOf(kafkaNamespaces);
    this.resync = resync;
    this.clock = clock;
    this.autoscaler = autoscaler;
    this.autoscaling = new PipelineAutoscaling(autoscaler);
  }

  @Override
  public List<EventSource<?, LogPipeline>> prepareEventSources(
      EventSourceContext<LogPipeline> context) {
    List<EventSource<?, LogPipeline>> sources =
        new ArrayList<>(
            LogPipelineEventSources.create(context, operatorNamespace, kafkaNamespaces));
    sources.add(autoscaler.eventSource());
    return sources;
  }

  @Override
  public UpdateControl<LogPipeline> reconcile(LogPipeline pipeline, Context<LogPipeline> context) {
    StatusAggregator aggregator =
        new StatusAggregator(pipeline.getMetadata().getGeneration(), clock)
            .require(Accepted, TopicReady, StorageReady, WorkersAvailable);
    if (pipeline.getSpec().getGateway().isEnabled()) {
      aggregator.require(GatewayAvailable);
    }
    LogPipelineStatus old = pipeline.getStatus();
    ConditionResult accepted = PipelineGuardrails.check(pipeline, context);
    accepted.applyTo(aggregator, Accepted);
    LogPipelineStatus status;
    if (accepted.status() != ConditionStatus.True) {
      // Not built. A pipeline no longer allowed to run here (namespace not allowed, backend gone)
      // is stopped: worker and gateway scaled to 0 until it is accepted again. A spec its owner
      // broke (invalid, over the limits) leaves the last built children running as they were.
      autoscaling.forget(pipeline);
      status = new LogPipelineStatus();
      if (accepted.reason() == Reason.NamespaceNotAllowed
          || accepted.reason() == Reason.BackendNotFound) {
        StoppedWorkloads.stop(pipeline, context);
        StoppedWorkloads.report(pipeline, context, aggregator, status);
      }
      status.setConditions(aggregator.conditions(old == null ? null : old.getConditions()));
      status.setObservedGeneration(aggregator.observedGeneration());
      status.setIgnoredFields(pipeline.getSpec().getSpecProblems().ignoredFields());
      LOG.info("event=rejected reason={} message=\"{}\"", accepted.reason(), accepted.message());
    } else {
      autoscaling.track(pipeline, context);
      var result = context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
      PipelineStatusBuilder builder =
          new PipelineStatusBuilder(
              pipeline, context, result, clickHouseUsers.of(pipeline, context));
      autoscaling.beforeStatus(pipeline, builder, aggregator);
      status = builder.build(aggregator, old == null ? null : old.getConditions());
      status.setIgnoredFields(pipeline.getSpec().getSpecProblems().ignoredFields());
      autoscaling.afterStatus(pipeline, context, status);
      if (!builder.failedDependents().isEmpty()) {
        throw new PipelineReconcileException(status, builder.failedDependents());
      }
    }
    if (!StatusAggregator.changed(old, status)) {
      return UpdateControl.<LogPipeline>noUpdate().rescheduleAfter(resync);
    }
    pipeline.setStatus(status);
    return UpdateControl.patchStatus(pipeline).rescheduleAfter(resync);
  }

  @Override
  public ErrorStatusUpdateControl<LogPipeline> updateErrorStatus(
      LogPipeline pipeline, Context<LogPipeline> context, Exception e) {
    // JOSDK hands the exception over wrapped (OperatorException), so look down the chain.
    PipelineReconcileException failed = null;
    for (Throwable t = e; t != null && failed == null; t = t.getCause()) {
      failed = t instanceof PipelineReconcileException p ? p : null;
    }
    if (failed == null) {
      LOG.error("event=reconcile_failed", e);
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    LOG.warn("event=reconcile_incomplete {}", failed.getMessage());
    if (!StatusAggregator.changed(pipeline.getStatus(), failed.status())) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    pipeline.setStatus(failed.status());
    return ErrorStatusUpdateControl.patchStatus(pipeline);
  }

  /**
   * Removes what an owner reference cannot: the KafkaTopics and KafkaUsers (in another namespace),
   * the table and the Redis keys, each as its deletion policy says (KafkaUsers always go). The
   * finalizer stays until all succeeded.
   */
  @Override
  public DeleteControl cleanup(LogPipeline pipeline, Context<LogPipeline> context) {
    autoscaling.forget(pipeline);
    var result = context.managedWorkflowAndDependentResourceContext().cleanupManageWorkflow();
    if (result.erroredDependentsExist()) {
      Map<String, Exception> failures = new LinkedHashMap<>();
      result
          .getErroredDependents()
          .forEach(
              (d, e) -> {
                failures.put(d.name(), e);
                LOG.warn(
                    "event=cleanup_failed dependent={} message=\"{}\"",
                    d.name(),
                    DependentFailures.describe(e, d.name()).message());
              });
      reportDeletion(pipeline, context, DeletionStatus.of(pipeline, failures, clock));
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(CLEANUP_RETRY.toMillis());
    }
    LOG.info("event=cleaned_up deletionPolicy={}", pipeline.getSpec().getDeletionPolicy());
    return DeleteControl.defaultDelete();
  }

  /**
   * Writes the status of a deletion that waits, on each retry whose outcome changed. JOSDK writes
   * no status after cleanup, so it is patched here (server-side apply of the status alone, as JOSDK
   * patches it after a reconcile); a failed write is only logged: the next retry writes it again.
   */
  private static void reportDeletion(
      LogPipeline pipeline, Context<LogPipeline> context, LogPipelineStatus status) {
    if (!StatusAggregator.changed(pipeline.getStatus(), status)) {
      return;
    }
    LogPipeline patch = new LogPipeline();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(pipeline.getMetadata().getName())
            .withNamespace(pipeline.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    try {
      PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(pipeline, patch, context);
    } catch (KubernetesClientException e) {
      LOG.warn("event=deletion_status_not_written code={}", e.getCode());
    }
  }
}
