package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.model.GatewayDeploymentFactory;
import dev.logpipe.operator.model.WorkerImage;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The gateway Deployment, owned by the pipeline, while {@code spec.gateway.enabled}. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.GATEWAY))
public class GatewayDeploymentDependentResource
    extends CRUDKubernetesDependentResource<Deployment, LogPipeline> {
  public static final String NAME = "gateway";

  private final GatewayDeploymentFactory factory;

  public GatewayDeploymentDependentResource(WorkerImage image) {
    super(Deployment.class);
    this.factory = new GatewayDeploymentFactory(image);
  }

  @Override
  protected Deployment desired(LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    return factory.desired(in.names(), pipeline.getSpec(), in.config());
  }
}
