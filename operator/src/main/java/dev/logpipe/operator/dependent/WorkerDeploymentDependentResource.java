package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.autoscale.AutoscaleView;
import dev.logpipe.operator.autoscale.Autoscaler;
import dev.logpipe.operator.model.WorkerDeploymentFactory;
import dev.logpipe.operator.model.WorkerImage;
import dev.logpipe.operator.model.WorkerReplicas;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The worker Deployment, owned by the pipeline. Its readiness is read from the Deployment's status
 * by {@link WorkerReadiness}; config and credentials hashes on the pod template roll it on change.
 * Replicas come from {@link WorkerReplicas} (the spec, or the {@link Autoscaler}'s decision), held
 * at 0 by {@link StorageGate} while the table is not confirmed as this pipeline's.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.WORKER))
public class WorkerDeploymentDependentResource
    extends CRUDKubernetesDependentResource<Deployment, LogPipeline> {
  public static final String NAME = "workers";

  private final WorkerDeploymentFactory factory;
  private final BackendSecrets secrets;
  private final StorageProvisioner storage;
  private final Autoscaler autoscaler;

  public WorkerDeploymentDependentResource(
      WorkerImage image,
      BackendSecrets secrets,
      StorageProvisioner storage,
      Autoscaler autoscaler) {
    super(Deployment.class);
    this.factory = new WorkerDeploymentFactory(image);
    this.secrets = secrets;
    this.storage = storage;
    this.autoscaler = autoscaler;
  }

  @Override
  protected Deployment desired(LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    Secret credentials = CredentialsSecretDependentResource.desiredCopy(secrets, pipeline, context);
    Deployment desired = factory.desired(in.names(), pipeline.getSpec(), in.config(), credentials);
    AutoscaleView view = autoscaler.view(ResourceID.fromResource(pipeline)).orElse(null);
    Integer wanted =
        WorkerReplicas.of(
            pipeline.getSpec(),
            view == null ? null : view.desired(),
            view != null && view.externalScaler() != null);
    StorageProvisioner.Ownership ownership =
        ClickHouseTableDependentResource.ownership(storage, in);
    // null: an HPA or ScaledObject owns replicas; only a foreign table still forces 0.
    desired
        .getSpec()
        .setReplicas(
            wanted == null
                ? (ownership == StorageProvisioner.Ownership.OTHERS ? 0 : null)
                : StorageGate.replicas(
                    wanted,
                    ownership,
                    StorageGate.existing(
                        context, in.names().namespace(), in.names().workerDeployment())));
    return desired;
  }
}
