package dev.logpipe.sandbox.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.operator.model.CredentialsSecretFactory;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.sandbox.Sandbox;
import dev.logpipe.worker.config.Credentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Alice edits team-a's credentials Secret (her role may) to name team-b's Redis user and Kafka
 * user: the operator writes A's own values back, and she still reads nothing of B's.
 */
final class CredentialsPutBack {
  private final Sandbox sandbox;
  private final KubernetesClient admin;
  private final PipelineNames a;
  private final PipelineNames b;

  CredentialsPutBack(Sandbox sandbox, PipelineNames a, PipelineNames b) {
    this.sandbox = sandbox;
    this.admin = sandbox.client();
    this.a = a;
    this.b = b;
  }

  void verify(TenantUser alice, SecretValues teamB) {
    Secret before =
        admin.secrets().inNamespace(a.namespace()).withName(a.credentialsSecret()).get();
    Secret edited =
        alice
            .client()
            .secrets()
            .inNamespace(a.namespace())
            .withName(a.credentialsSecret())
            .edit(
                s -> {
                  s.getData().put(Credentials.REDIS_USER, base64(b.backendUser()));
                  s.getData().put("LOGPIPE_KAFKA_USER", base64(b.backendUser() + ".worker"));
                  return s;
                });
    assertThat(decode(edited, Credentials.REDIS_USER)).isEqualTo(b.backendUser());
    // Awaited as the Secret or null, so a timeout does not print the Secret's data.
    Secret after =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(250))
            .until(
                () -> {
                  Secret s =
                      admin
                          .secrets()
                          .inNamespace(a.namespace())
                          .withName(a.credentialsSecret())
                          .get();
                  boolean putBack =
                      !s.getMetadata()
                              .getResourceVersion()
                              .equals(edited.getMetadata().getResourceVersion())
                          && a.backendUser().equals(decode(s, Credentials.REDIS_USER));
                  return putBack ? s : null;
                },
                java.util.Objects::nonNull);
    assertThat(after.getData().keySet())
        .as("the key alice added is gone")
        .isEqualTo(before.getData().keySet());
    for (String key :
        List.of(
            Credentials.CLICKHOUSE_USER,
            Credentials.CLICKHOUSE_PASSWORD,
            CredentialsSecretFactory.KAFKA_WORKER_PASSWORD,
            CredentialsSecretFactory.KAFKA_GATEWAY_PASSWORD)) {
      assertThat(after.getData().get(key))
          .as(key + " put back")
          .isEqualTo(before.getData().get(key));
    }
    assertThat(teamB.foundIn(List.of(after))).as("B's credentials in A's Secret").isEmpty();
    alice.assertForbidden(
        "get team-b's credentials after the edit",
        () ->
            alice
                .client()
                .secrets()
                .inNamespace(b.namespace())
                .withName(b.credentialsSecret())
                .get());
    // The Redis password in the Secret is A's user's (made anew: the user it stood beside changed)
    // and reaches only A's keys.
    String url = sandbox.services().redisUrl();
    String password = decode(after, Credentials.REDIS_PASSWORD);
    String own = "logpipe:" + a.namespace() + ":" + a.name() + ":query:tenancy-check";
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> RedisLogins.get(url, a.backendUser(), password, own), "null"::equals);
    assertThat(
            RedisLogins.get(
                url,
                a.backendUser(),
                password,
                "logpipe:" + b.namespace() + ":" + b.name() + ":query:x"))
        .startsWith("NOPERM");
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }
}
