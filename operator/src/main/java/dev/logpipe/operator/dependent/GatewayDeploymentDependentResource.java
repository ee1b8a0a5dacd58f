package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.model.GatewayDeploymentFactory;
import dev.logpipe.operator.model.WorkerImage;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The gateway Deployment, owned by the pipeline, while {@code spec.gateway.enabled}; hashes of the
 * config, the credentials and the token on its pod template roll it when any of them changes.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.GATEWAY))
public class GatewayDeploymentDependentResource
    extends CRUDKubernetesDependentResource<Deployment, LogPipeline> {
  public static final String NAME = "gateway";

  private final GatewayDeploymentFactory factory;
  private final BackendSecrets secrets;
  private final StorageProvisioner storage;

  public GatewayDeploymentDependentResource(
      WorkerImage image, BackendSecrets secrets, StorageProvisioner storage) {
    super(Deployment.class);
    this.factory = new GatewayDeploymentFactory(image);
    this.secrets = secrets;
    this.storage = storage;
  }

  @Override
  protected Deployment desired(LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    Secret credentials = CredentialsSecretDependentResource.desiredCopy(secrets, pipeline, context);
    // The token is random and made once, so only the Secret itself knows it: read it by name from
    // the token informer (it holds what this reconciliation just created, too).
    String tokenName = in.names().gatewayTokenSecret();
    Secret token =
        context.getSecondaryResources(Secret.class).stream()
            .filter(
                s ->
                    tokenName.equals(s.getMetadata().getName())
                        && in.names().namespace().equals(s.getMetadata().getNamespace()))
            .findFirst()
            .orElse(null);
    Deployment desired =
        factory.desired(in.names(), pipeline.getSpec(), in.config(), credentials, token);
    desired
        .getSpec()
        .setReplicas(
            StorageGate.replicas(
                pipeline.getSpec().getGateway().getReplicas(),
                ClickHouseTableDependentResource.ownership(storage, in),
                StorageGate.existing(
                    context, in.names().namespace(), in.names().gatewayDeployment())));
    return desired;
  }
}
