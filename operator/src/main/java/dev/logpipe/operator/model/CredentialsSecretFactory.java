package dev.logpipe.operator.model;

import dev.logpipe.operator.api.v1alpha1.ClusterLogBackendSpec;
import dev.logpipe.operator.api.v1alpha1.SecretCredentialsRef;
import dev.logpipe.worker.config.Credentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Secret in the pipeline's namespace that the worker's environment reads, with keys named after
 * the worker's {@link Credentials} variables. Values are copied as the API returns them (base64 in
 * {@code data}) and never decoded here.
 */
public final class CredentialsSecretFactory {
  private CredentialsSecretFactory() {}

  /**
   * @param clickhouse the backend's ClickHouse Secret (required)
   * @param redis the backend's Redis Secret, or null when Redis has none or the pipeline does not
   *     use the cache
   * @throws InvalidPipelineException when a Secret lacks a key the backend names
   */
  public static Secret desired(
      PipelineNames names, ClusterLogBackendSpec backend, Secret clickhouse, Secret redis) {
    Map<String, String> data = new TreeMap<>();
    SecretCredentialsRef chRef = backend.getClickhouse().getCredentialsSecret();
    data.put(Credentials.CLICKHOUSE_USER, value(clickhouse, chRef, chRef.getUserKey(), true));
    data.put(
        Credentials.CLICKHOUSE_PASSWORD, value(clickhouse, chRef, chRef.getPasswordKey(), true));
    SecretCredentialsRef redisRef =
        backend.getRedis() == null ? null : backend.getRedis().getCredentialsSecret();
    if (redis != null && redisRef != null) {
      // Redis may use the default user (password only), so the user key is optional.
      String user = value(redis, redisRef, redisRef.getUserKey(), false);
      if (user != null) {
        data.put(Credentials.REDIS_USER, user);
      }
      data.put(Credentials.REDIS_PASSWORD, value(redis, redisRef, redisRef.getPasswordKey(), true));
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withName(names.credentialsSecret())
        .withNamespace(names.namespace())
        .withLabels(names.labels("credentials"))
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
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
