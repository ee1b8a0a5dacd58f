package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.ClusterLogBackendSpec;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.api.v1alpha1.SecretCredentialsRef;
import dev.logpipe.operator.external.BackendException;
import dev.logpipe.operator.status.Reason;
import dev.logpipe.worker.config.Credentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Reads the backends' credential Secrets from the informer over the operator's namespace. Only that
 * namespace is watched (and granted by RBAC), so a reference elsewhere is reported, not followed.
 */
public final class BackendSecrets {
  /** Name of the Secret informer registered by the LogPipeline reconciler. */
  public static final String EVENT_SOURCE = "backend-secrets";

  private final String operatorNamespace;

  public BackendSecrets(String operatorNamespace) {
    this.operatorNamespace = operatorNamespace;
  }

  public String operatorNamespace() {
    return operatorNamespace;
  }

  public Secret clickHouse(ClusterLogBackendSpec backend, Context<LogPipeline> context) {
    return get(backend.getClickhouse().getCredentialsSecret(), context);
  }

  public Credentials clickHouseCredentials(
      ClusterLogBackendSpec backend, Context<LogPipeline> context) {
    SecretCredentialsRef ref = backend.getClickhouse().getCredentialsSecret();
    return credentials(ref, get(ref, context), true);
  }

  public Credentials redisCredentials(ClusterLogBackendSpec backend, Context<LogPipeline> context) {
    SecretCredentialsRef ref =
        backend.getRedis() == null ? null : backend.getRedis().getCredentialsSecret();
    return ref == null ? new Credentials(null, null) : credentials(ref, get(ref, context), false);
  }

  /** Backend Secrets are read only from the operator's namespace (that is all RBAC grants). */
  public void requireInOperatorNamespace(SecretCredentialsRef ref) {
    if (!operatorNamespace.equals(ref.getNamespace())) {
      throw new BackendException(
          Reason.CredentialsSecretInvalid,
          "Secret "
              + ref.qualifiedName()
              + " is outside the operator's namespace "
              + operatorNamespace
              + "; the operator reads backend Secrets only there");
    }
  }

  /** A Secret that a ClusterLogBackend names and that does not exist. */
  public static BackendException missing(SecretCredentialsRef ref) {
    return new BackendException(
        Reason.CredentialsSecretMissing,
        "Secret "
            + ref.qualifiedName()
            + " named by the ClusterLogBackend does not exist; create it");
  }

  @SuppressWarnings("unchecked")
  private Secret get(SecretCredentialsRef ref, Context<LogPipeline> context) {
    requireInOperatorNamespace(ref);
    var source =
        (InformerEventSource<Secret, LogPipeline>)
            context.eventSourceRetriever().getEventSourceFor(Secret.class, EVENT_SOURCE);
    return source
        .get(new ResourceID(ref.getName(), ref.getNamespace()))
        .orElseThrow(() -> missing(ref));
  }

  /** Decodes the user and password keys; the password key is required, the user key defaults. */
  public static Credentials credentials(
      SecretCredentialsRef ref, Secret secret, boolean userRequired) {
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    String password = decode(data.get(ref.getPasswordKey()));
    String user = decode(data.get(ref.getUserKey()));
    if (password == null || (userRequired && user == null)) {
      String key = password == null ? ref.getPasswordKey() : ref.getUserKey();
      throw new BackendException(
          Reason.CredentialsSecretInvalid,
          "Secret "
              + ref.qualifiedName()
              + " has no key '"
              + key
              + "'; add it or change credentialsSecret in the ClusterLogBackend");
    }
    return new Credentials(user, password);
  }

  private static String decode(String base64) {
    return base64 == null
        ? null
        : new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
