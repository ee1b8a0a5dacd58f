package dev.logpipe.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.schema.SpecValidation;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** spec.kafka.authentication as a platform admin writes it, and the schema the CRD enforces. */
class BackendKafkaAuthenticationTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  @Test
  void absentMeansPlaintextAsBefore() {
    ClusterLogBackend backend = TestingFixtures.backend();
    assertThat(backend.getSpec().getKafka().getAuthentication()).isNull();
    assertThat(SpecValidation.check(backend)).isEmpty();
  }

  @Test
  void scramWithItsListenerDefaultsToSaslPlaintext() {
    ClusterLogBackend backend =
        JSON.unmarshal(
            """
            apiVersion: logpipe.dev/v1alpha1
            kind: ClusterLogBackend
            metadata: {name: default}
            spec:
              kafka:
                bootstrapServers: logs-kafka-bootstrap.kafka:9092
                strimziCluster: {name: logs, namespace: kafka}
                authentication: {type: scram-sha-512, bootstrapServers: logs-kafka-bootstrap.kafka:9095}
              clickhouse:
                url: http://clickhouse.clickhouse:8123
                credentialsSecret: {name: clickhouse-admin, namespace: logpipe-system}
            """,
            ClusterLogBackend.class);
    BackendKafkaAuthentication auth = backend.getSpec().getKafka().getAuthentication();
    assertThat(auth.getType()).isEqualTo(KafkaAuthenticationType.SCRAM_SHA_512);
    assertThat(auth.getType().saslMechanism()).isEqualTo("SCRAM-SHA-512");
    assertThat(auth.getBootstrapServers()).isEqualTo("logs-kafka-bootstrap.kafka:9095");
    assertThat(auth.getSecurityProtocol()).isEqualTo(KafkaSecurityProtocol.SASL_PLAINTEXT);
    assertThat(SpecValidation.check(backend)).isEmpty();
    assertThat(JSON.asJson(backend)).contains("\"type\":\"scram-sha-512\"");
  }

  @Test
  void theOperatorRefusesWhatTheServerWouldRefuse() {
    ClusterLogBackend backend = TestingFixtures.backend();
    BackendKafkaAuthentication auth = new BackendKafkaAuthentication();
    auth.setType(KafkaAuthenticationType.SCRAM_SHA_512);
    backend.getSpec().getKafka().setAuthentication(auth);
    assertThat(SpecValidation.check(backend))
        .anySatisfy(p -> assertThat(p).startsWith("spec.kafka.authentication.bootstrapServers"));
    auth.setBootstrapServers("logs-kafka-bootstrap.kafka");
    assertThat(SpecValidation.check(backend))
        .anySatisfy(p -> assertThat(p).startsWith("spec.kafka.authentication.bootstrapServers"));
  }
}
