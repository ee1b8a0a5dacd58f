package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.testing.TestingClickHouse;
import dev.logpipe.operator.testing.TestingLogpipe;
import io.fabric8.kubernetes.api.model.Condition;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A pipeline the backend does not allow is not built, and its status says exactly why. */
@WithDevServices({DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS})
class LogPipelineGuardrailsIT {
  private static final String NS = "team-guard";
  private static TestingLogpipe env;
  private static TestingClickHouse clickHouse;

  @BeforeAll
  static void start(DevServices services) {
    env = TestingLogpipe.onRealServer();
    env.namespace(NS, true);
    env.namespace("guard-outsider", false);
    env.defaultBackend(services);
    clickHouse = TestingClickHouse.of(services);
  }

  @AfterAll
  static void stop() {
    env.close();
    clickHouse.close();
  }

  @Test
  void overLimitSpecIsNotBuiltAndStatusNamesEachLimit() {
    env.pipeline(
        NS,
        "greedy",
        s -> {
          s.getTopic().setPartitions(30);
          s.getStorage().setRetentionDays(45);
        });

    Condition accepted = awaitCondition(NS, "greedy", "Accepted");
    assertThat(accepted.getStatus()).isEqualTo("False");
    assertThat(accepted.getReason()).isEqualTo("LimitExceeded");
    assertThat(accepted.getMessage())
        .contains("topic.partitions 30 exceeds the backend limit of 24 by 6 (limits.maxPartitions)")
        .contains("storage.retentionDays 45 exceeds the backend limit of 30 by 15");
    assertThat(condition(env.get(NS, "greedy"), "Ready").getStatus()).isEqualTo("False");
    assertNothingBuilt(NS, "greedy", "logs_team_guard");
  }

  @Test
  void namespaceOutsideAllowedNamespacesIsNotBuilt() {
    env.pipeline("guard-outsider", "sneaky", s -> {});

    Condition accepted = awaitCondition("guard-outsider", "sneaky", "Accepted");
    assertThat(accepted.getReason()).isEqualTo("NamespaceNotAllowed");
    assertThat(accepted.getMessage())
        .contains("namespace guard-outsider may not use ClusterLogBackend default")
        .contains("logging=enabled");
    assertNothingBuilt("guard-outsider", "sneaky", "logs_guard_outsider");
  }

  @Test
  void missingBackendIsReported() {
    env.pipeline(NS, "orphan", s -> s.setBackend("nowhere"));

    Condition accepted = awaitCondition(NS, "orphan", "Accepted");
    assertThat(accepted.getReason()).isEqualTo("BackendNotFound");
    assertThat(accepted.getMessage()).contains("ClusterLogBackend nowhere does not exist");
  }

  @Test
  void pipelineThatBecomesOverLimitKeepsItsChildrenUntouched() {
    env.pipeline(NS, "grows", s -> {});
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                topic("logpipe.team-guard.grows") != null
                    && deployment(NS, "grows") != null
                    // the storage gate holds a new Deployment at 0 until the table is checked
                    && Integer.valueOf(1).equals(deployment(NS, "grows").getSpec().getReplicas()));
    int replicas = deployment(NS, "grows").getSpec().getReplicas();

    env.edit(NS, "grows", s -> s.getWorkers().setReplicas(50));

    await()
        .untilAsserted(
            () ->
                assertThat(condition(env.get(NS, "grows"), "Accepted").getReason())
                    .isEqualTo("LimitExceeded"));
    assertThat(deployment(NS, "grows").getSpec().getReplicas()).isEqualTo(replicas);
    assertThat(topic("logpipe.team-guard.grows")).isNotNull();
  }

  private static Condition awaitCondition(String ns, String name, String type) {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(condition(env.get(ns, name), type)).isNotNull());
    return condition(env.get(ns, name), type);
  }

  private static void assertNothingBuilt(String ns, String name, String database) {
    assertThat(topic("logpipe." + ns + "." + name)).isNull();
    assertThat(deployment(ns, name)).isNull();
    assertThat(env.client().configMaps().inNamespace(ns).withName(name + "-pipeline-config").get())
        .isNull();
    assertThat(clickHouse.tables(database)).doesNotContainKey(name);
  }

  private static KafkaTopic topic(String name) {
    return env.client().resources(KafkaTopic.class).inNamespace(STRIMZI_NS).withName(name).get();
  }

  private static io.fabric8.kubernetes.api.model.apps.Deployment deployment(
      String ns, String name) {
    return env.client().apps().deployments().inNamespace(ns).withName(name + "-worker").get();
  }
}
