package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.external.BackendException;
import dev.logpipe.operator.model.CredentialRotation;
import dev.logpipe.operator.model.CredentialsSecretFactory;
import dev.logpipe.operator.model.InvalidPipelineException;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.operator.status.Reason;
import dev.logpipe.worker.config.Credentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's credentials Secret in its own namespace, owned by the pipeline: the copy of the
 * backend's ClickHouse credentials, the pipeline's own Redis user with its generated password, and
 * (with Kafka authentication) its KafkaUsers' passwords copied from Strimzi's Secrets ({@link
 * KafkaUserSecrets}); it is not written until those exist, and the pods wait for it. A new {@link
 * CredentialRotation#REQUEST} value on the pipeline rotates the Redis and Kafka passwords once.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.CREDENTIALS))
public class CredentialsSecretDependentResource
    extends CRUDKubernetesDependentResource<Secret, LogPipeline> {
  public static final String NAME = "credentials";
  private static final Logger LOG =
      LoggerFactory.getLogger(CredentialsSecretDependentResource.class);

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
   * A pending rotation ({@link CredentialRotation}) first asks Strimzi for new Kafka passwords; the
   * Secret is then written once, with every new password and the request marked handled, when
   * Strimzi's new Secrets arrived (until then desired() reports KafkaUserPending and the pods keep
   * running on the old credentials).
   */
  @Override
  public ReconcileResult<Secret> reconcile(LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    Secret existing = existing(in.names(), context);
    if (CredentialRotation.pending(CredentialRotation.requested(pipeline), existing)) {
      KafkaPasswordRenewal.request(in, context, existing);
    }
    return super.reconcile(pipeline, context);
  }

  @Override
  protected void onUpdated(
      LogPipeline pipeline, Secret updated, Secret actual, Context<LogPipeline> context) {
    super.onUpdated(pipeline, updated, actual, context);
    String handled = CredentialRotation.handled(updated);
    if (handled != null && !handled.equals(CredentialRotation.handled(actual))) {
      String request = CredentialRotation.requested(pipeline);
      LOG.info(
          "event=credentials_rotated secret={} request=\"{}\"",
          updated.getMetadata().getName(),
          CredentialRotation.handles(updated, request)
              ? CredentialRotation.shown(request)
              : handled);
    }
  }

  /**
   * Whether a rotation request is still being carried out: the pods then run on the credentials
   * Secret as it is, which a failure to write the new one (waiting for Strimzi) does not stop.
   */
  public static boolean rotationPending(LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineNames names = PipelineInputs.of(pipeline, context).names();
    return CredentialRotation.pending(
        CredentialRotation.requested(pipeline), existing(names, context));
  }

  /**
   * The pipeline's request value when its credentials Secret was written for it (the Secret keeps
   * only its fingerprint), or null.
   */
  public static String rotationHandled(LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineNames names = PipelineInputs.of(pipeline, context).names();
    String request = CredentialRotation.requested(pipeline);
    return CredentialRotation.handles(existing(names, context), request) ? request : null;
  }

  /**
   * JOSDK's matcher lets an existing Secret keep keys the desired one lacks; here a key that is no
   * longer desired (the gateway's Kafka password once the gateway is off, the Redis user once the
   * cache is) must go, so the data must be equal.
   */
  @Override
  public Matcher.Result<Secret> match(
      Secret actual, Secret desired, LogPipeline pipeline, Context<LogPipeline> context) {
    Matcher.Result<Secret> result = super.match(actual, desired, pipeline, context);
    if (result.matched()
        && (!Objects.equals(actual.getData(), desired.getData())
            || !Objects.equals(
                CredentialRotation.handled(actual), CredentialRotation.handled(desired)))) {
      return Matcher.Result.computed(false, desired);
    }
    return result;
  }

  // By name, not from desired(): desired reads the existing Secret through this very lookup.
  @Override
  protected ResourceID targetSecondaryResourceID(
      LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineNames names = PipelineInputs.of(pipeline, context).names();
    return new ResourceID(names.credentialsSecret(), names.namespace());
  }

  /**
   * The Secret as it is (or is about to be) in the pipeline's namespace. The Deployments hash this
   * rather than the informer's view of it, so a changed backend Secret rolls the pods in the same
   * reconciliation that updates the Secret. Generated passwords are read back from the existing
   * Secret; the dependents that use them run after this one (dependsOn), when the informer already
   * holds what this reconciliation created.
   */
  static Secret desiredCopy(
      BackendSecrets secrets, LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    Secret existing = existing(in.names(), context);
    String rotation = CredentialRotation.requested(pipeline);
    try {
      return CredentialsSecretFactory.desired(
          in.names(),
          in.backendSpec(),
          secrets.clickHouse(in.backendSpec(), context),
          in.cacheActive(),
          existing,
          KafkaUserSecrets.passwords(
              in, context, CredentialRotation.pending(rotation, existing) ? existing : null),
          CredentialsSecretFactory::randomPassword,
          rotation);
    } catch (InvalidPipelineException e) {
      throw new BackendException(Reason.CredentialsSecretInvalid, e.getMessage());
    }
  }

  /** The pipeline's Redis user's password, decoded, from the Secret desiredCopy returns. */
  static String redisPassword(Secret credentials) {
    String encoded = credentials.getData().get(Credentials.REDIS_PASSWORD);
    return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
  }

  // Several Secret informers feed the context (credentials, gateway token, backend Secrets): pick
  // this pipeline's credentials Secret by namespace and name.
  private static Secret existing(PipelineNames names, Context<LogPipeline> context) {
    return context.getSecondaryResources(Secret.class).stream()
        .filter(
            s ->
                names.credentialsSecret().equals(s.getMetadata().getName())
                    && names.namespace().equals(s.getMetadata().getNamespace()))
        .findFirst()
        .orElse(null);
  }
}
