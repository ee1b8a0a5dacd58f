package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.autoscale.AutoscaleView;
import dev.logpipe.operator.autoscale.Autoscaler;
import dev.logpipe.operator.model.WorkerDeploymentFactory;
import dev.logpipe.operator.model.WorkerImage;
import dev.logpipe.operator.model.WorkerReplicas;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The worker Deployment, owned by the pipeline. Its readiness is read from the Deployment's status
 * by {@link WorkerReadiness}; a config-hash annotation on the pod template rolls it on change.
 * Replicas come from {@link WorkerReplicas}: the spec, or the {@link Autoscaler}'s decision.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.WORKER))
public class WorkerDeploymentDependentResource
    extends CRUDKubernetesDependentResource<Deployment, LogPipeline> {
  public static final String NAME = "workers";

  private final WorkerDeploymentFactory factory;
  private final Autoscaler autoscaler;

  public WorkerDeploymentDependentResource(WorkerImage image, Autoscaler autoscaler) {
    super(Deployment.class);
    this.factory = new WorkerDeploymentFactory(image);
    this.autoscaler = autoscaler;
  }

  @Override
  protected Deployment desired(LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    Deployment deployment = factory.desired(in.names(), pipeline.getSpec(), in.config());
    AutoscaleView view = autoscaler.view(ResourceID.fromResource(pipeline)).orElse(null);
    deployment
        .getSpec()
        .setReplicas(
            WorkerReplicas.of(
                pipeline.getSpec(),
                view == null ? null : view.desired(),
                view != null && view.externalScaler() != null));
    return deployment;
  }
}
