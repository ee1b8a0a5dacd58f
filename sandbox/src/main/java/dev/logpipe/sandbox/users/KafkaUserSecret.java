package dev.logpipe.sandbox.users;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The user's Secret as Strimzi's User Operator writes it for SCRAM-SHA-512: named like the
 * KafkaUser, in its namespace, owned by it, with keys {@code password} and {@code
 * sasl.jaas.config}, and Strimzi's labels. Pure apart from the random password.
 */
final class KafkaUserSecret {
  static final String PASSWORD = "password";
  static final String JAAS_CONFIG = "sasl.jaas.config";
  // Strimzi's default SCRAM password length; letters and digits need no quoting in the JAAS line.
  static final int PASSWORD_LENGTH = 32;
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private KafkaUserSecret() {}

  static String newPassword() {
    StringBuilder b = new StringBuilder(PASSWORD_LENGTH);
    for (int i = 0; i < PASSWORD_LENGTH; i++) {
      b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  /** The password kept in an existing Secret of this user, so a restart does not rotate it. */
  static String existingPassword(Secret secret, KafkaUser user) {
    if (secret == null || secret.getData() == null || !ownedBy(secret, user)) {
      return null;
    }
    String encoded = secret.getData().get(PASSWORD);
    return encoded == null
        ? null
        : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
  }

  static boolean ownedBy(Secret secret, KafkaUser user) {
    return secret.getMetadata().getOwnerReferences() != null
        && secret.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> o.getUid().equals(user.getMetadata().getUid()));
  }

  static Secret build(KafkaUser user, String password) {
    String name = user.getMetadata().getName();
    Map<String, String> labels = new LinkedHashMap<>();
    String cluster =
        user.getMetadata().getLabels() == null
            ? null
            : user.getMetadata().getLabels().get("strimzi.io/cluster");
    if (cluster != null) {
      labels.put("strimzi.io/cluster", cluster);
    }
    labels.put("strimzi.io/kind", KafkaUser.RESOURCE_KIND);
    labels.put("app.kubernetes.io/instance", name);
    labels.put("app.kubernetes.io/managed-by", "strimzi-user-operator");
    labels.put("app.kubernetes.io/name", "strimzi-user-operator");
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(user.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion(user.getApiVersion())
                .withKind(user.getKind())
                .withName(name)
                .withUid(user.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(false)
                .build())
        .endMetadata()
        .withType("Opaque")
        .addToData(PASSWORD, base64(password))
        .addToData(JAAS_CONFIG, base64(jaasConfig(name, password)))
        .build();
  }

  static String jaasConfig(String username, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + username
        + "\" password=\""
        + password
        + "\";";
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
