package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.condition;
import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.clickhouse.ClickHouseDevService;
import dev.logpipe.operator.api.v1alpha1.DeletionPolicy;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.operator.testing.TestingClickHouse;
import dev.logpipe.operator.testing.TestingLogpipe;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator stops between the topics and the table (ClickHouse held back, so the topics exist
 * and the table does not) and a new operator process starts: it converges to Ready without
 * duplicating or leaking anything, and can still delete everything.
 */
class OperatorRestartIT {
  private static final String NS = "team-restart";
  private static DevServices services;
  private static TestingLogpipe env;

  @BeforeAll
  static void start() throws Exception {
    assumeFalse(
        ClickHouseDevService.externalConfigured(), "stops ClickHouse: needs the local dev server");
    // Own services: this test stops ClickHouse, which must not disturb the shared one.
    services =
        DevServices.start(
            Files.createTempDirectory("restart-it"),
            Set.of(DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS));
    env = TestingLogpipe.onRealServer();
    env.namespace(NS, true);
    env.defaultBackend(services);
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
      services.close();
    }
  }

  @Test
  void aNewOperatorFinishesWhatTheStoppedOneStartedWithoutDuplicatesOrLeaks() {
    services.clickhouse().kill();
    env.pipeline(NS, "halfway", s -> s.setDeletionPolicy(DeletionPolicy.Delete));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(topics()).hasSize(2);
              assertThat(condition(env.get(NS, "halfway"), "StorageReady").getReason())
                  .isEqualTo("ClickHouseUnreachable");
            });

    env.stopOperator();
    services.clickhouse().start();
    var replica = env.replica("restarted", new SimpleMeterRegistry());

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              env.children().markTopicsReady(STRIMZI_NS);
              assertThat(isTrue(env.get(NS, "halfway"), "Ready")).isTrue();
            });
    LogPipeline ready = env.get(NS, "halfway");
    assertThat(ready.getMetadata().getFinalizers()).hasSize(1);
    assertThat(names(topics()))
        .containsExactlyInAnyOrder(
            "logpipe.team-restart.halfway", "logpipe.team-restart.halfway.dlq");
    assertThat(names(env.client().apps().deployments().inNamespace(NS).list().getItems()))
        .containsExactly("halfway-worker");
    // One ReplicaSet: the new operator applied the same pod template, it did not roll the workers.
    assertThat(env.client().apps().replicaSets().inNamespace(NS).list().getItems()).hasSize(1);
    assertThat(names(env.client().configMaps().inNamespace(NS).list().getItems()))
        .containsExactlyInAnyOrder("halfway-pipeline-config", "kube-root-ca.crt");
    assertThat(names(env.client().secrets().inNamespace(NS).list().getItems()))
        .containsExactly("halfway-credentials");
    try (TestingClickHouse clickHouse = TestingClickHouse.of(services)) {
      // The table and its views once each (a materialized view's inner table has a generated name).
      var tables = clickHouse.tables("logs_team_restart").keySet();
      assertThat(tables.stream().filter(t -> !t.startsWith(".inner")))
          .containsExactlyInAnyOrder(
              "halfway", "halfway_ledger", "halfway_stats", "halfway_stats_v");
      assertThat(tables.stream().filter(t -> t.startsWith(".inner"))).hasSizeLessThanOrEqualTo(1);

      // The new operator also owns the clean-up the old one's finalizer promised.
      env.client().resources(LogPipeline.class).inNamespace(NS).withName("halfway").delete();
      await().atMost(Duration.ofSeconds(60)).until(() -> env.get(NS, "halfway") == null);
      assertThat(topics()).isEmpty();
      assertThat(clickHouse.tables("logs_team_restart")).isEmpty();
    }
    env.stopReplica(replica);
  }

  private static List<KafkaTopic> topics() {
    return env.client()
        .resources(KafkaTopic.class)
        .inNamespace(STRIMZI_NS)
        .withLabel(PipelineNames.PIPELINE_NAMESPACE, NS)
        .list()
        .getItems();
  }

  private static List<String> names(List<? extends HasMetadata> items) {
    return items.stream().map(i -> i.getMetadata().getName()).toList();
  }
}
