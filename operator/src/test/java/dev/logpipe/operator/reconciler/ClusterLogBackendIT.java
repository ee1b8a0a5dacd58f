package dev.logpipe.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.testing.TestingLogpipe;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The backend's status reports each server's reachability and the ClickHouse version. */
@WithDevServices({DevServices.Kind.KAFKA, DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS})
class ClusterLogBackendIT {
  private static TestingLogpipe env;
  private static DevServices services;

  @BeforeAll
  static void start(DevServices devServices) {
    services = devServices;
    // On the mock: backend probes and their isolation involve no cluster-owned behaviour.
    env = new TestingLogpipe();
    env.clickHouseSecret(services);
  }

  @AfterAll
  static void stop() {
    env.close();
  }

  @Test
  void healthyBackendIsReadyWithItsClickHouseVersion() {
    ClusterLogBackend backend =
        env.backend("healthy", services.clickHouseUrl(), "clickhouse-admin", services.redisUrl());
    backend.getSpec().getKafka().setBootstrapServers(services.kafkaBootstrap());
    env.client().resource(backend).update();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              ClusterLogBackend b = get("healthy");
              assertThat(condition(b, "Ready").getStatus()).isEqualTo("True");
              assertThat(condition(b, "KafkaReachable").getStatus()).isEqualTo("True");
              assertThat(condition(b, "ClickHouseReachable").getStatus()).isEqualTo("True");
              assertThat(condition(b, "RedisReachable").getStatus()).isEqualTo("True");
              assertThat(b.getStatus().getClickhouseVersion()).matches("\\d+\\.\\d+.*");
              assertThat(b.getStatus().getLastCheckTime()).isNotNull();
            });
  }

  @Test
  void unreachableServersAndMissingSecretAreEachNamed() {
    env.backend("dead", "http://127.0.0.1:1", "clickhouse-admin", "redis://127.0.0.1:1");
    env.backend("secretless", services.clickHouseUrl(), "no-such-secret", null);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              ClusterLogBackend dead = get("dead");
              assertThat(condition(dead, "Ready").getStatus()).isEqualTo("False");
              assertThat(condition(dead, "KafkaReachable").getReason())
                  .isEqualTo("KafkaUnreachable");
              assertThat(condition(dead, "ClickHouseReachable").getReason())
                  .isEqualTo("ClickHouseUnreachable");
              assertThat(condition(dead, "RedisReachable").getReason())
                  .isEqualTo("RedisUnreachable");
              Condition secret = condition(get("secretless"), "ClickHouseReachable");
              assertThat(secret.getReason()).isEqualTo("CredentialsSecretMissing");
              assertThat(secret.getMessage()).contains("logpipe-system/no-such-secret");
            });
  }

  /** Issue 13, finding 10: empty URLs threw "URI must not be empty" and never got a status. */
  @Test
  void emptyUrlsGetAConditionNamingEachField() {
    env.backend("empty", "", "clickhouse-admin", "");
    // A patch, not an update of the created object: the operator may have written the backend
    // (finalizer, status) since, and an update with the old resourceVersion would get a 409.
    env.client()
        .resources(ClusterLogBackend.class)
        .withName("empty")
        .edit(
            b -> {
              b.getSpec().getKafka().setBootstrapServers("");
              return b;
            });

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              ClusterLogBackend b = get("empty");
              Condition accepted = condition(b, "Accepted");
              assertThat(accepted.getStatus()).isEqualTo("False");
              assertThat(accepted.getReason()).isEqualTo("InvalidSpec");
              assertThat(accepted.getMessage())
                  .contains("spec.kafka.bootstrapServers: '' does not match")
                  .contains("spec.clickhouse.url: '' does not match ^https?://")
                  .contains("spec.redis.url: '' does not match ^rediss?://");
              assertThat(condition(b, "Ready").getReason()).isEqualTo("InvalidSpec");
              assertThat(condition(b, "ClickHouseReachable").getStatus()).isEqualTo("Unknown");
            });
  }

  private static ClusterLogBackend get(String name) {
    return env.client().resources(ClusterLogBackend.class).withName(name).get();
  }

  private static Condition condition(ClusterLogBackend b, String type) {
    if (b == null || b.getStatus() == null) {
      return null;
    }
    return b.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }
}
