package dev.logpipe.operator.model;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Secret holding the gateway's bearer token. The token is made once: an existing Secret is
 * returned as it is, so reconciles never rotate it (delete the Secret to rotate). The token is
 * never logged, and neither status nor the ConfigMap carries it.
 */
public final class GatewayTokenSecretFactory {
  public static final String KEY = "token";
  static final int TOKEN_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Supplier<String> tokens;

  public GatewayTokenSecretFactory() {
    this(GatewayTokenSecretFactory::randomToken);
  }

  GatewayTokenSecretFactory(Supplier<String> tokens) {
    this.tokens = tokens;
  }

  /**
   * @param existing the Secret as the cluster has it, or null when there is none yet
   */
  public Secret desired(PipelineNames names, Secret existing) {
    String token = existingToken(existing);
    String encoded =
        token != null
            ? token
            : Base64.getEncoder().encodeToString(tokens.get().getBytes(StandardCharsets.UTF_8));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(names.gatewayTokenSecret())
        .withNamespace(names.namespace())
        .withLabels(names.labels("gateway-token"))
        .endMetadata()
        .withType("Opaque")
        .withData(Map.of(KEY, encoded))
        .build();
  }

  /** The base64 value under {@link #KEY}, as the API returned it, or null. */
  private static String existingToken(Secret existing) {
    if (existing == null || existing.getData() == null) {
      return null;
    }
    String value = existing.getData().get(KEY);
    return value == null || value.isEmpty() ? null : value;
  }

  /** 32 random bytes, URL-safe base64 without padding (43 characters). */
  static String randomToken() {
    byte[] bytes = new byte[TOKEN_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
