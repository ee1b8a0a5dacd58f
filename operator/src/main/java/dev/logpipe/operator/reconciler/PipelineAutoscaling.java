package dev.logpipe.operator.reconciler;

import dev.logpipe.operator.api.v1alpha1.AutoscalingSpec;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.api.v1alpha1.LogPipelineStatus;
import dev.logpipe.operator.api.v1alpha1.WorkersStatus;
import dev.logpipe.operator.autoscale.AutoscaleTarget;
import dev.logpipe.operator.autoscale.AutoscaleView;
import dev.logpipe.operator.autoscale.Autoscaler;
import dev.logpipe.operator.autoscale.ScalePolicy;
import dev.logpipe.operator.dependent.PipelineInputs;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.operator.status.ConditionType;
import dev.logpipe.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;

/**
 * The reconciler's side of autoscaling: hands the pipeline to the {@link Autoscaler} before the
 * workflow (so the worker Deployment gets its decision), and puts the decision, the lag and the
 * Autoscaling condition into the status.
 */
final class PipelineAutoscaling {
  private final Autoscaler autoscaler;

  PipelineAutoscaling(Autoscaler autoscaler) {
    this.autoscaler = autoscaler;
  }

  /** Before the workflow of an accepted pipeline: track it when autoscaled, else forget it. */
  void track(LogPipeline pipeline, Context<LogPipeline> context) {
    ResourceID id = ResourceID.fromResource(pipeline);
    AutoscalingSpec spec = pipeline.getSpec().getWorkers().getAutoscaling();
    if (spec == null) {
      autoscaler.forget(id);
      return;
    }
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    PipelineNames names = in.names();
    Deployment deployment = workerDeployment(context, names.workerDeployment());
    autoscaler.track(
        id,
        new AutoscaleTarget(
            names.namespace(),
            names.name(),
            in.backendSpec().getKafka().getBootstrapServers(),
            names.topic(),
            names.groupId(),
            names.workerDeployment(),
            ScalePolicy.of(spec),
            deployment == null ? null : deployment.getSpec().getReplicas(),
            in.backendSpec().getClickhouse().getUrl()),
        storageReady(pipeline.getStatus() == null ? null : pipeline.getStatus().getConditions()));
  }

  /** A rejected or deleted pipeline is not autoscaled. */
  void forget(LogPipeline pipeline) {
    autoscaler.forget(ResourceID.fromResource(pipeline));
  }

  /** Before the status is built: the Autoscaling condition and the replicas workers must reach. */
  void beforeStatus(LogPipeline pipeline, PipelineStatusBuilder builder, StatusAggregator agg) {
    AutoscaleView view = autoscaler.view(ResourceID.fromResource(pipeline)).orElse(null);
    if (view == null) {
      return;
    }
    view.condition().applyTo(agg, ConditionType.Autoscaling);
    builder.desiredWorkers(view.replicasToWrite());
  }

  /** After: status.workers gets the decision and the lag; the autoscaler learns StorageReady. */
  void afterStatus(LogPipeline pipeline, Context<LogPipeline> context, LogPipelineStatus status) {
    ResourceID id = ResourceID.fromResource(pipeline);
    autoscaler.sinkAvailable(id, storageReady(status.getConditions()));
    AutoscaleView view = autoscaler.view(id).orElse(null);
    WorkersStatus workers = status.getWorkers();
    if (view == null || workers == null) {
      return;
    }
    Deployment deployment =
        workerDeployment(context, PipelineInputs.of(pipeline, context).names().workerDeployment());
    Integer current = deployment == null ? null : deployment.getSpec().getReplicas();
    workers.setCurrent(current);
    workers.setDesired(view.externalScaler() == null ? view.desired() : current);
    if (view.lag() != null) {
      workers.setLagRecords(view.lag().lagRecords());
      workers.setLagSeconds(view.lag().lagSeconds());
    }
    workers.setLastScaleTime(view.lastScaleTime());
    workers.setLastScaleReason(view.lastScaleReason());
  }

  private static Deployment workerDeployment(Context<LogPipeline> context, String name) {
    return context.getSecondaryResources(Deployment.class).stream()
        .filter(d -> name.equals(d.getMetadata().getName()))
        .findFirst()
        .orElse(null);
  }

  private static boolean storageReady(List<Condition> conditions) {
    return conditions != null
        && conditions.stream()
            .anyMatch(
                c ->
                    ConditionType.StorageReady.name().equals(c.getType())
                        && "True".equals(c.getStatus()));
  }
}
