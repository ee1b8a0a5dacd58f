package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.model.GatewayTokenSecretFactory;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The gateway's bearer token, owned by the pipeline. Created once and never updated (no {@code
 * Updater}): reconciles do not rotate it; deleting the Secret makes a new token. Deleted when the
 * gateway is switched off.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.GATEWAY_TOKEN))
public class GatewayTokenSecretDependentResource
    extends KubernetesDependentResource<Secret, LogPipeline>
    implements Creator<Secret, LogPipeline>, GarbageCollected<LogPipeline> {
  public static final String NAME = "gateway-token";

  private final GatewayTokenSecretFactory factory = new GatewayTokenSecretFactory();

  public GatewayTokenSecretDependentResource() {
    super(Secret.class);
  }

  @Override
  protected Secret desired(LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    return factory.desired(in.names(), getSecondaryResource(pipeline, context).orElse(null));
  }

  // By name, not from desired(): desired reads the existing Secret through this very lookup.
  @Override
  protected ResourceID targetSecondaryResourceID(
      LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    return new ResourceID(in.names().gatewayTokenSecret(), in.names().namespace());
  }
}
