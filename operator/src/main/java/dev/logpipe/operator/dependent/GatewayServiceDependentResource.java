package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.model.GatewayServiceFactory;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The gateway's ClusterIP Service, owned by the pipeline, while {@code spec.gateway.enabled}. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.GATEWAY))
public class GatewayServiceDependentResource
    extends CRUDKubernetesDependentResource<Service, LogPipeline> {
  public static final String NAME = "gateway-service";

  public GatewayServiceDependentResource() {
    super(Service.class);
  }

  @Override
  protected Service desired(LogPipeline pipeline, Context<LogPipeline> context) {
    return GatewayServiceFactory.desired(PipelineInputs.of(pipeline, context).names());
  }
}
