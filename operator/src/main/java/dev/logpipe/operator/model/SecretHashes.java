package dev.logpipe.operator.model;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pod-template annotations that carry a hash of each Secret a pod reads from its environment. Env
 * vars are resolved only when a container starts, so a changed Secret reaches a pod only through a
 * new pod: a changed hash changes the template and the Deployment rolls. Only a hash of the data is
 * written, never a value.
 */
public final class SecretHashes {
  /** Hash of the pipeline's credentials Secret (ClickHouse, Redis): worker and gateway. */
  public static final String CREDENTIALS = "logpipe.dev/credentials-hash";

  /** Hash of the gateway token Secret: the gateway only. */
  public static final String GATEWAY_TOKEN = "logpipe.dev/gateway-token-hash";

  private SecretHashes() {}

  /**
   * 16 hex digits of SHA-256 over the Secret's keys and (base64) values in key order; "none" when
   * there is no Secret yet (the pod cannot start without it; the next reconcile writes the hash).
   */
  public static String of(Secret secret) {
    return of(secret, Set.of());
  }

  /** As {@link #of(Secret)} over the keys other than {@code unread}. */
  static String of(Secret secret, Set<String> unread) {
    if (secret == null || secret.getData() == null) {
      return "none";
    }
    StringBuilder text = new StringBuilder();
    new TreeMap<>(secret.getData())
        .forEach(
            (k, v) -> {
              if (!unread.contains(k)) {
                text.append(k).append('=').append(v).append('\n');
              }
            });
    return PipelineNames.sha256(text.toString()).substring(0, 16);
  }

  /**
   * Annotations for the worker's pod template. The gateway's Kafka password is not the worker's, so
   * it does not roll the workers (nor the gateway switched on or off).
   */
  public static Map<String, String> worker(Secret credentials) {
    return Map.of(
        CREDENTIALS, of(credentials, Set.of(CredentialsSecretFactory.KAFKA_GATEWAY_PASSWORD)));
  }

  /** Annotations for the gateway's pod template: it reads the credentials and the token. */
  public static Map<String, String> gateway(Secret credentials, Secret token) {
    Map<String, String> out = new TreeMap<>();
    out.put(CREDENTIALS, of(credentials, Set.of(CredentialsSecretFactory.KAFKA_WORKER_PASSWORD)));
    out.put(GATEWAY_TOKEN, of(token));
    return out;
  }
}
