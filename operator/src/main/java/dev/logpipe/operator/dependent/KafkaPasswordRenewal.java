package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka half of a rotation ({@link dev.logpipe.operator.model.CredentialRotation}): new
 * passwords for the pipeline's KafkaUsers, asked of Strimzi's User Operator; {@link
 * KafkaUserSecrets} copies them once it wrote them.
 */
final class KafkaPasswordRenewal {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPasswordRenewal.class);

  private KafkaPasswordRenewal() {}

  /**
   * Asks Strimzi's User Operator for new passwords the way it supports for generated ones: the
   * user's Secret is deleted, and the User Operator, which watches those Secrets, generates a new
   * password, sets it as the user's SCRAM credential and writes the Secret again. Only a Secret
   * owned by the pipeline's own KafkaUser and still holding the password the pods use ({@code
   * rotating}) is deleted, with its resourceVersion as a precondition, so a Secret Strimzi already
   * wrote anew is never deleted a second time.
   */
  static void request(PipelineInputs in, Context<LogPipeline> context, Secret rotating) {
    if (!in.kafkaAuthentication() || rotating == null || rotating.getData() == null) {
      return;
    }
    var source = KafkaUserSecrets.informer(context);
    String ns = KafkaUserSecrets.namespace(in);
    KafkaUserSecrets.users(in)
        .forEach(
            (key, user) -> {
              Optional<Secret> secret = source.get(new ResourceID(user, ns));
              Optional<KafkaUser> owner = KafkaUserSecrets.kafkaUser(context, user, ns);
              boolean old =
                  secret.isPresent()
                      && owner.isPresent()
                      && KafkaUserSecrets.ownedBy(secret.get(), owner.get())
                      && secret.get().getData() != null
                      && Objects.equals(
                          secret.get().getData().get(KafkaUserSecrets.PASSWORD),
                          rotating.getData().get(key));
              if (!old) {
                return;
              }
              try {
                context
                    .getClient()
                    .secrets()
                    .inNamespace(ns)
                    .withName(user)
                    .lockResourceVersion(secret.get().getMetadata().getResourceVersion())
                    .delete();
                LOG.info("event=kafka_password_renewal_requested user={} namespace={}", user, ns);
              } catch (KubernetesClientException e) {
                // 404: gone already; 409: Strimzi wrote it anew meanwhile. Either way it is new.
                if (e.getCode() != 404 && e.getCode() != 409) {
                  throw e;
                }
              }
            });
  }
}
