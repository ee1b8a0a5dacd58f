package dev.logpipe.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialsSecretFactoryTest {
  private final ClusterLogBackend backend = TestingFixtures.backend();
  private final PipelineNames names = PipelineNames.of("team-payments", "payments", "logs_");

  private static Secret secret(Map<String, String> data) {
    return new SecretBuilder().withNewMetadata().endMetadata().withData(data).build();
  }

  @Test
  void copiesOnlyTheNamedKeysUnderTheWorkersVariableNames() {
    Secret ch = secret(Map.of("username", "dXNlcg==", "password", "cGFzcw==", "other", "eA=="));
    Secret redis = secret(Map.of("password", "cmVk"));

    Secret out = CredentialsSecretFactory.desired(names, backend.getSpec(), ch, redis);

    assertThat(out.getMetadata().getName()).isEqualTo("payments-credentials");
    assertThat(out.getMetadata().getNamespace()).isEqualTo("team-payments");
    assertThat(out.getData())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "LOGPIPE_CLICKHOUSE_USER", "dXNlcg==",
                "LOGPIPE_CLICKHOUSE_PASSWORD", "cGFzcw==",
                "LOGPIPE_REDIS_PASSWORD", "cmVk"));
  }

  @Test
  void honoursCustomKeysAndNamesTheSecretWhenAKeyIsMissing() {
    backend.getSpec().getClickhouse().getCredentialsSecret().setUserKey("user");
    Secret ch = secret(Map.of("username", "dXNlcg==", "password", "cGFzcw=="));

    assertThatThrownBy(() -> CredentialsSecretFactory.desired(names, backend.getSpec(), ch, null))
        .isInstanceOf(InvalidPipelineException.class)
        .hasMessage(
            "Secret logpipe-system/clickhouse-admin has no key 'user'; add it or change"
                + " credentialsSecret in the ClusterLogBackend");
  }
}
