package dev.logpipe.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialsSecretFactoryTest {
  private final ClusterLogBackend backend = TestingFixtures.backend();
  private final PipelineNames names = PipelineNames.of("team-payments", "payments", "logs_");

  private static Secret secret(Map<String, String> data) {
    return new SecretBuilder().withNewMetadata().endMetadata().withData(data).build();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void copiesTheClickHouseKeysAndGivesRedisThePipelinesOwnUserNeverTheBackendsPassword() {
    Secret ch = secret(Map.of("username", "dXNlcg==", "password", "cGFzcw==", "other", "eA=="));

    Secret out =
        CredentialsSecretFactory.desired(
            names, backend.getSpec(), ch, true, null, Map.of(), () -> "fresh", null);

    assertThat(out.getMetadata().getName()).isEqualTo("payments-credentials");
    assertThat(out.getMetadata().getNamespace()).isEqualTo("team-payments");
    assertThat(out.getData())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "LOGPIPE_CLICKHOUSE_USER",
                "dXNlcg==",
                "LOGPIPE_CLICKHOUSE_PASSWORD",
                "cGFzcw==",
                "LOGPIPE_REDIS_USER",
                b64("logpipe.team-payments.payments"),
                "LOGPIPE_REDIS_PASSWORD",
                b64("fresh")));
  }

  @Test
  void keepsTheExistingRedisPasswordAndMakesANewOneOnlyWhenTheUserDiffers() {
    Secret ch = secret(Map.of("username", "dXNlcg==", "password", "cGFzcw=="));
    Secret existing =
        secret(
            Map.of(
                "LOGPIPE_REDIS_USER", b64("logpipe.team-payments.payments"),
                "LOGPIPE_REDIS_PASSWORD", b64("kept")));
    Secret other =
        secret(Map.of("LOGPIPE_REDIS_USER", b64("admin"), "LOGPIPE_REDIS_PASSWORD", b64("adm")));

    assertThat(
            CredentialsSecretFactory.desired(
                    names, backend.getSpec(), ch, true, existing, Map.of(), () -> "x", null)
                .getData())
        .containsEntry("LOGPIPE_REDIS_PASSWORD", b64("kept"));
    assertThat(
            CredentialsSecretFactory.desired(
                    names, backend.getSpec(), ch, true, other, Map.of(), () -> "x", null)
                .getData())
        .containsEntry("LOGPIPE_REDIS_PASSWORD", b64("x"));
    assertThat(
            CredentialsSecretFactory.desired(
                    names, backend.getSpec(), ch, false, existing, Map.of(), null, null)
                .getData())
        .doesNotContainKeys("LOGPIPE_REDIS_USER", "LOGPIPE_REDIS_PASSWORD");
  }

  @Test
  void randomPasswordsAreLongAndDistinct() {
    String a = CredentialsSecretFactory.randomPassword();
    assertThat(a).hasSize(43).matches("[A-Za-z0-9_-]+");
    assertThat(CredentialsSecretFactory.randomPassword()).isNotEqualTo(a);
  }

  @Test
  void honoursCustomKeysAndNamesTheSecretWhenAKeyIsMissing() {
    backend.getSpec().getClickhouse().getCredentialsSecret().setUserKey("user");
    Secret ch = secret(Map.of("username", "dXNlcg==", "password", "cGFzcw=="));

    assertThatThrownBy(
            () ->
                CredentialsSecretFactory.desired(
                    names, backend.getSpec(), ch, false, null, Map.of(), null, null))
        .isInstanceOf(InvalidPipelineException.class)
        .hasMessage(
            "Secret logpipe-system/clickhouse-admin has no key 'user'; add it or change"
                + " credentialsSecret in the ClusterLogBackend");
  }

  @Test
  void carriesEachKafkaUsersPasswordUnderItsOwnKeyAsStrimziWroteIt() {
    Secret ch = secret(Map.of("username", "dXNlcg==", "password", "cGFzcw=="));
    Secret secret =
        CredentialsSecretFactory.desired(
            names,
            backend.getSpec(),
            ch,
            false,
            null,
            Map.of(
                CredentialsSecretFactory.KAFKA_WORKER_PASSWORD, b64("w0rker"),
                CredentialsSecretFactory.KAFKA_GATEWAY_PASSWORD, b64("g4teway")),
            null,
            null);
    assertThat(secret.getData())
        .containsEntry("LOGPIPE_KAFKA_WORKER_PASSWORD", b64("w0rker"))
        .containsEntry("LOGPIPE_KAFKA_GATEWAY_PASSWORD", b64("g4teway"))
        .containsEntry("LOGPIPE_CLICKHOUSE_PASSWORD", "cGFzcw==");
  }

  @Test
  void aNewRotationRequestMakesANewRedisPasswordOnceAndRecordsTheValue() {
    Secret ch = secret(Map.of("username", "dXNlcg==", "password", "cGFzcw=="));
    Secret existing =
        secret(
            Map.of(
                "LOGPIPE_REDIS_USER", b64("logpipe.team-payments.payments"),
                "LOGPIPE_REDIS_PASSWORD", b64("old")));

    Secret rotated =
        CredentialsSecretFactory.desired(
            names, backend.getSpec(), ch, true, existing, Map.of(), () -> "new", "v1");
    assertThat(rotated.getData()).containsEntry("LOGPIPE_REDIS_PASSWORD", b64("new"));
    assertThat(rotated.getMetadata().getAnnotations())
        .containsExactlyEntriesOf(
            Map.of(CredentialRotation.HANDLED, CredentialRotation.fingerprint("v1")));

    // Written for v1: the same request again, or none, keeps the password and the record.
    for (String request : new String[] {"v1", null}) {
      Secret again =
          CredentialsSecretFactory.desired(
              names, backend.getSpec(), ch, true, rotated, Map.of(), () -> "other", request);
      assertThat(again.getData()).containsEntry("LOGPIPE_REDIS_PASSWORD", b64("new"));
      assertThat(again.getMetadata().getAnnotations())
          .containsEntry(CredentialRotation.HANDLED, CredentialRotation.fingerprint("v1"));
    }
    assertThat(
            CredentialsSecretFactory.desired(
                    names, backend.getSpec(), ch, true, rotated, Map.of(), () -> "v2pw", "v2")
                .getData())
        .containsEntry("LOGPIPE_REDIS_PASSWORD", b64("v2pw"));
  }

  @Test
  void aFirstSecretIsMadeForTheCurrentRequestSoItIsNotRotatedRightAfter() {
    Secret ch = secret(Map.of("username", "dXNlcg==", "password", "cGFzcw=="));
    Secret first =
        CredentialsSecretFactory.desired(
            names, backend.getSpec(), ch, true, null, Map.of(), () -> "fresh", "v7");
    assertThat(CredentialRotation.handled(first)).isEqualTo(CredentialRotation.fingerprint("v7"));
    assertThat(CredentialRotation.pending("v7", first)).isFalse();
    assertThat(CredentialRotation.pending("v8", first)).isTrue();
    assertThat(CredentialRotation.pending(null, first)).isFalse();
    assertThat(CredentialRotation.pending("v8", null)).isFalse();
    assertThat(
            CredentialsSecretFactory.desired(
                    names, backend.getSpec(), ch, false, null, Map.of(), null, null)
                .getMetadata()
                .getAnnotations())
        .isNullOrEmpty();
  }

  @Test
  void statusShowsAtMost63CharactersOfARequestValue() {
    assertThat(CredentialRotation.shown("2026-12-03")).isEqualTo("2026-12-03");
    assertThat(CredentialRotation.shown("x".repeat(100))).isEqualTo("x".repeat(63) + "...");
  }
}
