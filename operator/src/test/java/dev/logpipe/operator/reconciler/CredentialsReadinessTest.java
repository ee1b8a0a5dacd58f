package dev.logpipe.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.dependent.PipelineInputs;
import dev.logpipe.operator.dependent.RedisNamespaceDependentResource;
import dev.logpipe.operator.external.BackendException;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.operator.status.ConditionResult;
import dev.logpipe.operator.status.ConditionStatus;
import dev.logpipe.operator.status.Reason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialsReadinessTest {
  private final ClusterLogBackend backend = TestingFixtures.backend();
  private final LogPipeline pipeline = TestingFixtures.pipeline("team-a", "orders");
  private final PipelineInputs in =
      new PipelineInputs(pipeline, backend, PipelineNames.of(pipeline, backend));
  private final ClickHouseUserOutcome shared =
      ClickHouseUserOutcome.shared("orders-credentials", "the server cannot create users: no");
  private final ClickHouseUserOutcome own =
      new ClickHouseUserOutcome(true, Reason.PipelineUsers, "own users");

  @Test
  void sharedClickHouseMakesItFalseAndNamesRedisAndKafkaToo() {
    ConditionResult r = CredentialsReadiness.of(in, Map.of(), shared, plaintext());
    assertThat(r.status()).isEqualTo(ConditionStatus.False);
    assertThat(r.reason()).isEqualTo(Reason.SharedClickHouseCredentials);
    assertThat(r.message())
        .isEqualTo(
            "Redis: own ACL user logpipe.team-a.orders, limited to keys logpipe:team-a:orders:*"
                + " and the commands the worker and gateway use; ClickHouse: the backend's"
                + " credentials, copied into Secret orders-credentials, because the server cannot"
                + " create users: no; Kafka: plaintext without authentication (development only):"
                + " the pods connect to logs-kafka-bootstrap.kafka:9092 with no user, so any client"
                + " of that listener can read and write every pipeline's topics; set"
                + " spec.kafka.authentication in ClusterLogBackend default.");
  }

  @Test
  void aRefusedRedisUserComesFirstWithRedissMessage() {
    var refused =
        new BackendException(
            Reason.RedisUserNotCreated, "Redis at redis://r refused to create ACL user x: NOPERM");
    ConditionResult r =
        CredentialsReadiness.of(
            in, Map.of(RedisNamespaceDependentResource.NAME, refused), shared, plaintext());
    assertThat(r.reason()).isEqualTo(Reason.RedisUserNotCreated);
    assertThat(r.message()).startsWith("Redis: Redis at redis://r refused to create ACL user x");
  }

  @Test
  void trueOnlyWhenEveryBackendHasItsOwnUserAndUnknownWhileRedisIsNotConfirmed() {
    assertThat(CredentialsReadiness.of(in, Map.of(), own, ownKafka()).status())
        .isEqualTo(ConditionStatus.True);
    var down = new BackendException(Reason.RedisUnreachable, "Cannot reach Redis");
    ConditionResult r =
        CredentialsReadiness.of(
            in, Map.of(RedisNamespaceDependentResource.NAME, down), own, ownKafka());
    assertThat(r.status()).isEqualTo(ConditionStatus.Unknown);
    assertThat(r.message()).contains("not confirmed");
    pipeline.getSpec().getCache().setEnabled(false);
    assertThat(CredentialsReadiness.of(in, Map.of(), own, ownKafka()).message())
        .doesNotContain("Redis");
  }

  @Test
  void plaintextKafkaAloneMakesItFalseWithItsOwnReason() {
    ConditionResult r = CredentialsReadiness.of(in, Map.of(), own, plaintext());
    assertThat(r.status()).isEqualTo(ConditionStatus.False);
    assertThat(r.reason()).isEqualTo(Reason.KafkaWithoutAuthentication);
  }

  @Test
  void aKafkaUserStillAwaitedComesFirstAndIsUnknown() {
    var pending =
        new KafkaUserReadiness.Outcome(
            Reason.KafkaUserPending, ConditionStatus.Unknown, "Waiting for Strimzi");
    ConditionResult r = CredentialsReadiness.of(in, Map.of(), shared, pending);
    assertThat(r.status()).isEqualTo(ConditionStatus.Unknown);
    assertThat(r.reason()).isEqualTo(Reason.KafkaUserPending);
    assertThat(r.message()).contains("Kafka: Waiting for Strimzi.");
  }

  private KafkaUserReadiness.Outcome plaintext() {
    return KafkaUserReadiness.of(in, Map.of(), List.of());
  }

  private static KafkaUserReadiness.Outcome ownKafka() {
    return new KafkaUserReadiness.Outcome(null, ConditionStatus.True, "own users");
  }
}
