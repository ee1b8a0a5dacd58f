package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.external.BackendException;
import dev.logpipe.operator.model.CredentialsSecretFactory;
import dev.logpipe.operator.model.InvalidPipelineException;
import dev.logpipe.operator.status.Reason;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The pipeline's copy of the backend credentials, in its own namespace, owned by the pipeline. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.CREDENTIALS))
public class CredentialsSecretDependentResource
    extends CRUDKubernetesDependentResource<Secret, LogPipeline> {
  public static final String NAME = "credentials";

  private final BackendSecrets secrets;

  public CredentialsSecretDependentResource(BackendSecrets secrets) {
    super(Secret.class);
    this.secrets = secrets;
  }

  @Override
  protected Secret desired(LogPipeline pipeline, Context<LogPipeline> context) {
    return desiredCopy(secrets, pipeline, context);
  }

  /**
   * The copy as it is (or is about to be) in the pipeline's namespace. The Deployments hash this
   * rather than the informer's view of the copy, so a changed backend Secret rolls the pods in the
   * same reconciliation that updates the copy.
   */
  static Secret desiredCopy(
      BackendSecrets secrets, LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    Secret redis = in.cacheActive() ? secrets.redis(in.backendSpec(), context) : null;
    try {
      return CredentialsSecretFactory.desired(
          in.names(), in.backendSpec(), secrets.clickHouse(in.backendSpec(), context), redis);
    } catch (InvalidPipelineException e) {
      throw new BackendException(Reason.CredentialsSecretInvalid, e.getMessage());
    }
  }
}
