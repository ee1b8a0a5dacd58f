package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.external.BackendException;
import dev.logpipe.operator.model.CredentialRotation;
import dev.logpipe.operator.model.CredentialsSecretFactory;
import dev.logpipe.operator.model.KafkaUserFactory;
import dev.logpipe.operator.status.Reason;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the passwords of a pipeline's KafkaUsers from the Secrets Strimzi's User Operator writes
 * (named like the KafkaUser, in its namespace, owned by it, key {@code password}) through an
 * informer that holds only Secrets labelled {@code strimzi.io/kind=KafkaUser}. Only a Secret owned
 * by the very KafkaUser this operator made for the pipeline is read, so no other user's password,
 * and nothing planted under the user's name, is ever copied.
 */
public final class KafkaUserSecrets {
  /** Name of the Secret informer registered by the LogPipeline reconciler. */
  public static final String EVENT_SOURCE = "kafka-user-secrets";

  /** The label Strimzi's User Operator puts on every user Secret it writes. */
  public static final String LABEL_SELECTOR = "strimzi.io/kind=KafkaUser";

  static final String PASSWORD = "password";
  private static final String PREFIX = "logpipe.";

  private KafkaUserSecrets() {}

  /**
   * The base64 passwords of the pipeline's KafkaUsers by credentials Secret key: the worker's, and
   * the gateway's when the gateway is on; empty without Kafka authentication.
   *
   * @param rotating null, or while a rotation is pending the credentials Secret the pods use: a
   *     password it already holds is not a new one yet
   * @throws BackendException KafkaUserPending while a Secret does not exist yet (or, rotating,
   *     still holds the old password), or KafkaUserSecretInvalid when it is not the one Strimzi
   *     wrote for the pipeline's KafkaUser
   */
  static Map<String, String> passwords(
      PipelineInputs in, Context<LogPipeline> context, Secret rotating) {
    if (!in.kafkaAuthentication()) {
      return Map.of();
    }
    Map<String, String> out = new TreeMap<>();
    boolean rotation = rotating != null && rotating.getData() != null;
    users(in)
        .forEach(
            (key, user) -> {
              String password;
              try {
                password = password(in, user, context);
              } catch (BackendException e) {
                // Strimzi's Secret deleted for the rotation and not written again yet.
                throw rotation && e.reason() == Reason.KafkaUserPending
                    ? rotationWait(in, user)
                    : e;
              }
              if (rotation && password.equals(rotating.getData().get(key))) {
                throw rotationWait(in, user); // the old Secret, still in the informer
              }
              out.put(key, password);
            });
    return out;
  }

  private static BackendException rotationWait(PipelineInputs in, String user) {
    return new BackendException(
        Reason.KafkaUserPending,
        "Rotating the pipeline's credentials ("
            + CredentialRotation.REQUEST
            + "="
            + CredentialRotation.shown(CredentialRotation.requested(in.pipeline()))
            + "): waiting for Strimzi's User Operator to write a new password for KafkaUser "
            + namespace(in)
            + "/"
            + user
            + "; the pods keep running on the current credentials until then");
  }

  /** The pipeline's KafkaUsers by the credentials Secret key of their password. */
  static Map<String, String> users(PipelineInputs in) {
    // Worker first: a pipeline that waits names its worker's user, as before.
    Map<String, String> users = new LinkedHashMap<>();
    users.put(
        CredentialsSecretFactory.KAFKA_WORKER_PASSWORD, KafkaUserFactory.workerUser(in.names()));
    if (in.pipeline().getSpec().getGateway().isEnabled()) {
      users.put(
          CredentialsSecretFactory.KAFKA_GATEWAY_PASSWORD,
          KafkaUserFactory.gatewayUser(in.names()));
    }
    return users;
  }

  static String namespace(PipelineInputs in) {
    return in.backendSpec().getKafka().getStrimziCluster().getNamespace();
  }

  static Optional<KafkaUser> kafkaUser(Context<LogPipeline> context, String user, String ns) {
    return context.getSecondaryResources(KafkaUser.class).stream()
        .filter(
            u ->
                user.equals(u.getMetadata().getName()) && ns.equals(u.getMetadata().getNamespace()))
        .findFirst();
  }

  static boolean ownedBy(Secret secret, KafkaUser user) {
    String uid = user.getMetadata().getUid();
    return secret.getMetadata().getOwnerReferences() != null
        && secret.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> "KafkaUser".equals(o.getKind()) && o.getUid().equals(uid));
  }

  @SuppressWarnings("unchecked")
  static InformerEventSource<Secret, LogPipeline> informer(Context<LogPipeline> context) {
    return (InformerEventSource<Secret, LogPipeline>)
        context.eventSourceRetriever().getEventSourceFor(Secret.class, EVENT_SOURCE);
  }

  /**
   * The pipeline a KafkaUser Secret belongs to, from its name ({@code
   * logpipe.<namespace>.<name>.<kind>}; namespace and name are DNS labels without dots); none for
   * any other name.
   */
  public static Set<ResourceID> pipelineOf(String secretName) {
    if (!secretName.startsWith(PREFIX)) {
      return Set.of();
    }
    String rest = secretName.substring(PREFIX.length());
    int first = rest.indexOf('.');
    int last = rest.lastIndexOf('.');
    if (first <= 0 || last <= first + 1 || rest.indexOf('.', first + 1) != last) {
      return Set.of();
    }
    return Set.of(new ResourceID(rest.substring(first + 1, last), rest.substring(0, first)));
  }

  private static String password(PipelineInputs in, String user, Context<LogPipeline> context) {
    String ns = namespace(in);
    String what = "KafkaUser " + ns + "/" + user;
    Optional<KafkaUser> kafkaUser = kafkaUser(context, user, ns);
    Optional<Secret> secret = informer(context).get(new ResourceID(user, ns));
    if (kafkaUser.isEmpty() || secret.isEmpty()) {
      throw new BackendException(
          Reason.KafkaUserPending,
          "Waiting for Strimzi's User Operator to write Secret "
              + ns
              + "/"
              + user
              + " for "
              + what
              + "; the pods start once it exists (check that the User Operator runs and manages"
              + " the Kafka cluster named by the KafkaUser's strimzi.io/cluster label)");
    }
    boolean owned = ownedBy(secret.get(), kafkaUser.get());
    String password = secret.get().getData() == null ? null : secret.get().getData().get(PASSWORD);
    if (!owned || password == null || password.isEmpty()) {
      throw new BackendException(
          Reason.KafkaUserSecretInvalid,
          "Secret "
              + ns
              + "/"
              + user
              + (owned
                  ? " has no key '" + PASSWORD + "'"
                  : " is not owned by " + what + ", so it is not the one Strimzi wrote for it")
              + "; nothing is copied from it. Delete it and let the User Operator write it again");
    }
    return password;
  }
}
