package dev.logpipe.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.BackendKafkaAuthentication;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.KafkaAuthenticationType;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.dependent.CredentialsSecretDependentResource;
import dev.logpipe.operator.dependent.PipelineInputs;
import dev.logpipe.operator.dependent.WorkerKafkaUserDependentResource;
import dev.logpipe.operator.external.BackendException;
import dev.logpipe.operator.model.KafkaUserFactory;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.operator.status.ConditionStatus;
import dev.logpipe.operator.status.Reason;
import io.strimzi.api.kafka.model.common.ConditionBuilder;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KafkaUserReadinessTest {
  private final ClusterLogBackend backend = TestingFixtures.backend();
  private final LogPipeline pipeline = TestingFixtures.pipeline("team-a", "orders");
  private PipelineInputs in;

  @BeforeEach
  void scram() {
    BackendKafkaAuthentication auth = new BackendKafkaAuthentication();
    auth.setType(KafkaAuthenticationType.SCRAM_SHA_512);
    auth.setBootstrapServers("logs-kafka-bootstrap.kafka:9095");
    backend.getSpec().getKafka().setAuthentication(auth);
    pipeline.getSpec().getGateway().setEnabled(true);
    in = new PipelineInputs(pipeline, backend, PipelineNames.of(pipeline, backend));
  }

  @Test
  void ownUsersOnceStrimziReportsBothReady() {
    var users = List.of(ready(worker(), "True", null), ready(gateway(), "True", null));
    var outcome = KafkaUserReadiness.of(in, Map.of(), users);
    assertThat(outcome.failed()).isNull();
    assertThat(outcome.status()).isEqualTo(ConditionStatus.True);
    assertThat(outcome.message())
        .isEqualTo(
            "own SCRAM-SHA-512 users logpipe.team-a.orders.worker for the workers (reads"
                + " logpipe.team-a.orders in group logpipe.team-a.orders, writes dead letters to"
                + " logpipe.team-a.orders.dlq) and logpipe.team-a.orders.gateway for the gateway"
                + " (writes logpipe.team-a.orders only), on logs-kafka-bootstrap.kafka:9095"
                + " (SASL_PLAINTEXT)");
  }

  @Test
  void aMissingOrUnreconciledUserIsUnknownAndARefusedOneQuotesStrimzi() {
    var missing = KafkaUserReadiness.of(in, Map.of(), List.of(ready(worker(), "True", null)));
    assertThat(missing.failed()).isEqualTo(Reason.KafkaUserNotReady);
    assertThat(missing.status()).isEqualTo(ConditionStatus.Unknown);
    assertThat(missing.message())
        .isEqualTo("KafkaUser kafka/logpipe.team-a.orders.gateway is not created yet");
    assertThat(missing.blocking()).isTrue();

    var unreconciled = KafkaUserReadiness.of(in, Map.of(), List.of(worker(), gateway()));
    assertThat(unreconciled.status()).isEqualTo(ConditionStatus.Unknown);
    assertThat(unreconciled.message()).contains("not reconciled by Strimzi's User Operator yet");

    var refused =
        KafkaUserReadiness.of(
            in,
            Map.of(),
            List.of(
                ready(worker(), "False", "Kafka: authorizer down"),
                ready(gateway(), "True", null)));
    assertThat(refused.status()).isEqualTo(ConditionStatus.False);
    assertThat(refused.message())
        .isEqualTo(
            "KafkaUser kafka/logpipe.team-a.orders.worker is not Ready: Kafka: authorizer down");
  }

  @Test
  void waitingForStrimzisSecretComesFromTheCredentialsSecretsFailure() {
    var pending =
        new BackendException(Reason.KafkaUserPending, "Waiting for Strimzi's User Operator");
    var outcome =
        KafkaUserReadiness.of(
            in, Map.of(CredentialsSecretDependentResource.NAME, pending), List.of());
    assertThat(outcome.failed()).isEqualTo(Reason.KafkaUserPending);
    assertThat(outcome.status()).isEqualTo(ConditionStatus.Unknown);
    assertThat(outcome.message()).isEqualTo("Waiting for Strimzi's User Operator");

    // The credentials Secret failing for ClickHouse's Secret is not Kafka's to report.
    var other = new BackendException(Reason.CredentialsSecretMissing, "no clickhouse-admin");
    assertThat(
            KafkaUserReadiness.of(
                    in, Map.of(CredentialsSecretDependentResource.NAME, other), List.of())
                .message())
        .contains("is not created yet");

    var taken = new BackendException(Reason.KafkaUserOwnedByOther, "belongs to team-b/x");
    var owned =
        KafkaUserReadiness.of(in, Map.of(WorkerKafkaUserDependentResource.NAME, taken), List.of());
    assertThat(owned.failed()).isEqualTo(Reason.KafkaUserOwnedByOther);
    assertThat(owned.status()).isEqualTo(ConditionStatus.False);
  }

  @Test
  void withoutAuthenticationItSaysPlaintextAndDoesNotBlock() {
    backend.getSpec().getKafka().setAuthentication(null);
    var outcome = KafkaUserReadiness.of(in, Map.of(), List.of());
    assertThat(outcome.failed()).isEqualTo(Reason.KafkaWithoutAuthentication);
    assertThat(outcome.blocking()).isFalse();
    assertThat(outcome.message()).startsWith("plaintext without authentication");
  }

  private KafkaUser worker() {
    return KafkaUserFactory.worker(in.names(), pipeline.getSpec(), backend.getSpec());
  }

  private KafkaUser gateway() {
    return KafkaUserFactory.gateway(in.names(), backend.getSpec());
  }

  private static KafkaUser ready(KafkaUser user, String status, String message) {
    user.getMetadata().setGeneration(1L);
    KafkaUserStatus s = new KafkaUserStatus();
    s.setObservedGeneration(1L);
    s.setConditions(
        List.of(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus(status)
                .withMessage(message)
                .build()));
    user.setStatus(s);
    return user;
  }
}
