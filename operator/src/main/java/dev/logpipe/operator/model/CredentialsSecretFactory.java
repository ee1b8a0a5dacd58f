package dev.logpipe.operator.model;

import dev.logpipe.operator.api.v1alpha1.ClusterLogBackendSpec;
import dev.logpipe.operator.api.v1alpha1.SecretCredentialsRef;
import dev.logpipe.worker.config.Credentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The Secret in the pipeline's namespace that the worker's and gateway's environment reads, with
 * keys named after the worker's {@link Credentials} variables, owned by the pipeline.
 *
 * <p>Redis: the pipeline's own ACL user ({@link PipelineNames#backendUser()}) with a random
 * password made here once and kept in this Secret (an existing Secret's password is reused, so
 * reconciles never rotate it; a new {@link CredentialRotation#REQUEST} value or deleting the Secret
 * does). The backend's Redis password is never copied. ClickHouse: still a copy of the backend's
 * credentials (see CredentialsReady), copied as the API returns them (base64 in {@code data}) and
 * never decoded here. Kafka (when the backend has authentication): the passwords of the pipeline's
 * two KafkaUsers, copied (base64, never decoded) from the Secrets Strimzi's User Operator wrote for
 * them, one key per user, so the worker and the gateway pods each reference only their own.
 */
public final class CredentialsSecretFactory {
  /** Key of the worker KafkaUser's password ({@link KafkaUserFactory#workerUser}). */
  public static final String KAFKA_WORKER_PASSWORD = "LOGPIPE_KAFKA_WORKER_PASSWORD";

  /** Key of the gateway KafkaUser's password ({@link KafkaUserFactory#gatewayUser}). */
  public static final String KAFKA_GATEWAY_PASSWORD = "LOGPIPE_KAFKA_GATEWAY_PASSWORD";

  private CredentialsSecretFactory() {}

  /**
   * @param clickhouse the backend's ClickHouse Secret (required)
   * @param redisUser whether the pipeline uses the cache (then it gets its Redis user)
   * @param existing the pipeline's credentials Secret as the cluster has it, or null
   * @param kafkaPasswords by key ({@link #KAFKA_WORKER_PASSWORD}, {@link #KAFKA_GATEWAY_PASSWORD})
   *     the base64 passwords of the pipeline's KafkaUsers; empty without Kafka authentication
   * @param passwords makes a new random password (called only when none can be reused)
   * @param rotation the pipeline's {@link CredentialRotation#REQUEST} value, or null: while its
   *     rotation is pending the Redis password is made anew (the caller checks that the Kafka
   *     passwords are new ones), and the Secret records it as handled
   * @throws InvalidPipelineException when a Secret lacks a key the backend names
   */
  public static Secret desired(
      PipelineNames names,
      ClusterLogBackendSpec backend,
      Secret clickhouse,
      boolean redisUser,
      Secret existing,
      Map<String, String> kafkaPasswords,
      Supplier<String> passwords,
      String rotation) {
    boolean rotate = CredentialRotation.pending(rotation, existing);
    Map<String, String> data = new TreeMap<>();
    SecretCredentialsRef chRef = backend.getClickhouse().getCredentialsSecret();
    data.put(Credentials.CLICKHOUSE_USER, value(clickhouse, chRef, chRef.getUserKey(), true));
    data.put(
        Credentials.CLICKHOUSE_PASSWORD, value(clickhouse, chRef, chRef.getPasswordKey(), true));
    if (redisUser) {
      String user = base64(names.backendUser());
      String password =
          rotate
              ? null
              : reusable(existing, Credentials.REDIS_USER, user, Credentials.REDIS_PASSWORD);
      data.put(Credentials.REDIS_USER, user);
      data.put(Credentials.REDIS_PASSWORD, password != null ? password : base64(passwords.get()));
    }
    data.putAll(kafkaPasswords);
    // Mutable: JOSDK adds its own annotation to what it writes.
    Map<String, String> annotations = new TreeMap<>();
    String handled = CredentialRotation.toRecord(rotation, existing);
    if (handled != null) {
      annotations.put(CredentialRotation.HANDLED, handled);
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withName(names.credentialsSecret())
        .withNamespace(names.namespace())
        .withLabels(names.labels("credentials"))
        .withAnnotations(annotations)
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  /** Random passwords: 32 bytes, URL-safe base64 (no character an ACL rule treats specially). */
  public static String randomPassword() {
    return GatewayTokenSecretFactory.randomToken();
  }

  /**
   * The existing (base64) password under {@code passwordKey} when the existing Secret's user key
   * holds {@code user}; null when it must be made anew.
   */
  private static String reusable(Secret existing, String userKey, String user, String passwordKey) {
    if (existing == null || existing.getData() == null) {
      return null;
    }
    String password = existing.getData().get(passwordKey);
    boolean same = user.equals(existing.getData().get(userKey));
    return same && password != null && !password.isEmpty() ? password : null;
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static String value(
      Secret secret, SecretCredentialsRef ref, String key, boolean required) {
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    String value = data.get(key);
    if (value == null && required) {
      throw new InvalidPipelineException(
          "Secret "
              + ref.qualifiedName()
              + " has no key '"
              + key
              + "'; add it or change credentialsSecret in the ClusterLogBackend");
    }
    return value;
  }
}
