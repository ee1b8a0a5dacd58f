package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.model.WorkerDeploymentFactory;
import dev.logpipe.operator.model.WorkerImage;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The worker Deployment, owned by the pipeline. Its readiness is read from the Deployment's status
 * by {@link WorkerReadiness}; config and credentials hashes on the pod template roll it on change.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.WORKER))
public class WorkerDeploymentDependentResource
    extends CRUDKubernetesDependentResource<Deployment, LogPipeline> {
  public static final String NAME = "workers";

  private final WorkerDeploymentFactory factory;
  private final BackendSecrets secrets;
  private final StorageProvisioner storage;

  public WorkerDeploymentDependentResource(
      WorkerImage image, BackendSecrets secrets, StorageProvisioner storage) {
    super(Deployment.class);
    this.factory = new WorkerDeploymentFactory(image);
    this.secrets = secrets;
    this.storage = storage;
  }

  @Override
  protected Deployment desired(LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    Secret credentials = CredentialsSecretDependentResource.desiredCopy(secrets, pipeline, context);
    Deployment desired = factory.desired(in.names(), pipeline.getSpec(), in.config(), credentials);
    desired
        .getSpec()
        .setReplicas(
            StorageGate.replicas(
                pipeline.getSpec().getWorkers().getReplicas(),
                ClickHouseTableDependentResource.ownership(storage, in),
                StorageGate.existing(
                    context, in.names().namespace(), in.names().workerDeployment())));
    return desired;
  }
}
