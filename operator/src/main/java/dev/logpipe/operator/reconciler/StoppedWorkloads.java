package dev.logpipe.operator.reconciler;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.api.v1alpha1.LogPipelineStatus;
import dev.logpipe.operator.api.v1alpha1.WorkersStatus;
import dev.logpipe.operator.model.GatewayDeploymentFactory;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.operator.model.WorkerDeploymentFactory;
import dev.logpipe.operator.status.ConditionResult;
import dev.logpipe.operator.status.ConditionType;
import dev.logpipe.operator.status.Reason;
import dev.logpipe.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pipeline no longer allowed to run (namespace no longer allowed, backend gone) must stop
 * consuming, storing and serving: its worker and gateway Deployments are scaled to 0 and status
 * says so. Nothing else is touched (topics, table and Secrets stay), and when the pipeline is
 * accepted again the workflow applies the spec's replicas. The Deployments are found through the
 * owner references the informers index, so this works without the backend.
 */
final class StoppedWorkloads {
  private static final Logger LOG = LoggerFactory.getLogger(StoppedWorkloads.class);
  private static final String FIELD_MANAGER = "logpipe-stopped";

  private StoppedWorkloads() {}

  /** Scales every worker and gateway Deployment of the pipeline that still runs pods to 0. */
  static void stop(LogPipeline pipeline, Context<LogPipeline> context) {
    for (Deployment d : deployments(context)) {
      Integer replicas = d.getSpec() == null ? null : d.getSpec().getReplicas();
      if (replicas != null && replicas == 0) {
        continue;
      }
      // Server-side apply of replicas alone, under a manager of its own: it takes over only that
      // field (forced from the workflow's manager), and the workflow's next apply takes it back.
      Deployment zero =
          new DeploymentBuilder()
              .withNewMetadata()
              .withName(d.getMetadata().getName())
              .withNamespace(d.getMetadata().getNamespace())
              .endMetadata()
              .withNewSpec()
              .withReplicas(0)
              .endSpec()
              .build();
      context
          .getClient()
          .resource(zero)
          .fieldManager(FIELD_MANAGER)
          .forceConflicts()
          .serverSideApply();
      LOG.info(
          "event=scaled_to_zero deployment={} replicasBefore={} reason=not_accepted",
          d.getMetadata().getName(),
          replicas);
    }
  }

  /**
   * WorkersAvailable (and GatewayAvailable) False with reason Stopped, and workers.desired 0, when
   * the pipeline has Deployments (one never built has nothing to stop).
   */
  static void report(
      LogPipeline pipeline,
      Context<LogPipeline> context,
      StatusAggregator aggregator,
      LogPipelineStatus status) {
    if (deployments(context).isEmpty()) {
      return;
    }
    String why =
        " scaled to 0 while the pipeline is not accepted (see Accepted); the spec's"
            + " replicas return when it is accepted again.";
    ConditionResult.isFalse(Reason.Stopped, "Workers" + why)
        .applyTo(aggregator, ConditionType.WorkersAvailable);
    if (pipeline.getSpec().getGateway().isEnabled()) {
      ConditionResult.isFalse(Reason.Stopped, "Gateway" + why)
          .applyTo(aggregator, ConditionType.GatewayAvailable);
    }
    String worker = PipelineNames.COMPONENT;
    int ready =
        deployments(context).stream()
            .filter(
                d ->
                    WorkerDeploymentFactory.COMPONENT.equals(
                        d.getMetadata().getLabels().get(worker)))
            .mapToInt(WorkerAvailability::ready)
            .sum();
    status.setWorkers(new WorkersStatus(0, ready));
  }

  // Both informers (worker, gateway) index by owner reference: only this pipeline's Deployments.
  private static List<Deployment> deployments(Context<LogPipeline> context) {
    return context.getSecondaryResources(Deployment.class).stream()
        .filter(
            d -> {
              String c = d.getMetadata().getLabels().get(PipelineNames.COMPONENT);
              return WorkerDeploymentFactory.COMPONENT.equals(c)
                  || GatewayDeploymentFactory.COMPONENT.equals(c);
            })
        .toList();
  }
}
