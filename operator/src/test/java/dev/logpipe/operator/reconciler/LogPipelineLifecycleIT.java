package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.condition;
import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.api.v1alpha1.RuleCondition;
import dev.logpipe.operator.api.v1alpha1.RuleSpec;
import dev.logpipe.operator.model.ConfigMapFactory;
import dev.logpipe.operator.model.WorkerDeploymentFactory;
import dev.logpipe.operator.testing.TestingClickHouse;
import dev.logpipe.operator.testing.TestingLogpipe;
import dev.logpipe.worker.config.LogTableSchema;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Create → children and table exist → Ready; then a spec change rolls children and the table. */
@WithDevServices({DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogPipelineLifecycleIT {
  private static final String NS = "team-life";
  private static TestingLogpipe env;
  private static TestingClickHouse clickHouse;

  @BeforeAll
  static void start(DevServices services) {
    env = TestingLogpipe.onRealServer();
    env.namespace(NS, true);
    env.defaultBackend(services);
    clickHouse = TestingClickHouse.of(services);
  }

  @AfterAll
  static void stop() {
    env.close();
    clickHouse.close();
  }

  @Test
  @Order(1)
  void createBuildsEveryChildAndBecomesReadyOnceTheyAre() {
    env.pipeline(NS, "payments", s -> s.getWorkers().setReplicas(2));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(topic("logpipe.team-life.payments")).isNotNull();
              assertThat(topic("logpipe.team-life.payments.dlq")).isNotNull();
              assertThat(
                      env.client()
                          .configMaps()
                          .inNamespace(NS)
                          .withName("payments-pipeline-config")
                          .get())
                  .isNotNull();
              assertThat(secret()).isNotNull();
              assertThat(deployment()).isNotNull();
              assertThat(clickHouse.tables("logs_team_life"))
                  .containsKeys("payments", "payments_ledger");
            });
    KafkaTopic topic = topic("logpipe.team-life.payments");
    assertThat(topic.getMetadata().getLabels())
        .containsEntry("strimzi.io/cluster", "logs")
        .containsEntry("logpipe.dev/pipeline-namespace", NS);
    assertThat(topic.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(secret().getData()).containsKey("LOGPIPE_CLICKHOUSE_PASSWORD");

    LogPipeline waiting = env.get(NS, "payments");
    await()
        .untilAsserted(() -> assertThat(condition(env.get(NS, "payments"), "Ready")).isNotNull());
    assertThat(isTrue(env.get(NS, "payments"), "Ready")).isFalse();

    env.children().markTopicsReady(STRIMZI_NS);
    Deployment d = deployment();
    env.children().setReplicas(d, 2, 1);
    await()
        .untilAsserted(
            () -> {
              var c = condition(env.get(NS, "payments"), "WorkersAvailable");
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("WorkersProgressing");
              assertThat(c.getMessage()).startsWith("1 of 2 worker pods ready");
            });

    env.children().markDeploymentsAvailable(NS);
    await().untilAsserted(() -> assertThat(isTrue(env.get(NS, "payments"), "Ready")).isTrue());
    LogPipeline ready = env.get(NS, "payments");
    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(ready.getStatus().getWorkers().getReady()).isEqualTo(2);
    assertThat(ready.getStatus().getStorage().getTable()).isEqualTo("payments");
    assertThat(isTrue(ready, "CacheReady")).isTrue();
    assertThat(waiting).isNotNull();
  }

  @Test
  @Order(2)
  void specChangeUpdatesChildrenAndMigratesTheTable() {
    String oldHash = podHash();
    String oldConfig = configJson();
    env.edit(
        NS,
        "payments",
        s -> {
          s.getStorage().setRetentionDays(21);
          s.getWorkers().setReplicas(3);
          RuleSpec rule = new RuleSpec();
          rule.setName("slow");
          RuleCondition when = new RuleCondition();
          when.setField("latency_ms");
          when.setGt(3000.0);
          rule.setWhen(when);
          rule.setScore(30);
          s.getAnomalies().setRules(List.of(rule));
        });

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(deployment().getSpec().getReplicas()).isEqualTo(3);
              assertThat(podHash()).isNotEqualTo(oldHash);
              assertThat(configJson()).isNotEqualTo(oldConfig).contains("slow");
              assertThat(clickHouse.tables("logs_team_life").get("payments"))
                  .contains("toIntervalDay(21)");
            });
    env.children().markDeploymentsAvailable(NS);
    await()
        .untilAsserted(
            () -> {
              LogPipeline p = env.get(NS, "payments");
              assertThat(p.getStatus().getObservedGeneration()).isEqualTo(2L);
              assertThat(isTrue(p, "Ready")).isTrue();
              assertThat(condition(p, "StorageReady").getMessage()).contains("21 days");
            });
  }

  @Test
  @Order(3)
  void aColumnMissingFromAnOlderTableIsAddedByTheNextCheck() {
    // What a table made by an older worker schema looks like: one column fewer.
    clickHouse.execute("ALTER TABLE logs_team_life.payments DROP COLUMN error_code");
    assertThat(clickHouse.columns("logs_team_life", "payments")).doesNotContain("error_code");

    // No event: the operator re-observes its tables on its own (half the resync period).
    await()
        .atMost(Duration.ofSeconds(40))
        .untilAsserted(
            () ->
                // Added at the end: the worker's INSERT names its columns, so order is free.
                assertThat(clickHouse.columns("logs_team_life", "payments"))
                    .containsExactlyInAnyOrderElementsOf(
                        LogTableSchema.COLUMNS.stream().map(LogTableSchema.Column::name).toList()));
    assertThat(clickHouse.tables("logs_team_life").get("payments")).contains("toIntervalDay(21)");
    assertThat(isTrue(env.get(NS, "payments"), "StorageReady")).isTrue();
  }

  private static KafkaTopic topic(String name) {
    return env.client().resources(KafkaTopic.class).inNamespace(STRIMZI_NS).withName(name).get();
  }

  private static Deployment deployment() {
    return env.client().apps().deployments().inNamespace(NS).withName("payments-worker").get();
  }

  private static Secret secret() {
    return env.client().secrets().inNamespace(NS).withName("payments-credentials").get();
  }

  private static String podHash() {
    return deployment()
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get(WorkerDeploymentFactory.CONFIG_HASH_ANNOTATION);
  }

  private static String configJson() {
    ConfigMap cm =
        env.client().configMaps().inNamespace(NS).withName("payments-pipeline-config").get();
    return cm.getData().get(ConfigMapFactory.CONFIG_KEY);
  }
}
