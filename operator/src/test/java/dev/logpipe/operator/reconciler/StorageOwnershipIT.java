package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.condition;
import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.DeletionPolicy;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.testing.TestingClickHouse;
import dev.logpipe.operator.testing.TestingLogpipe;
import dev.logpipe.worker.config.LogTableSchema;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile tenants on one ClickHouse server: a second backend whose prefix would have made another
 * tenant's table name, and tables that carry another owner. Nobody takes over or drops a table that
 * is not theirs, and the victim stays Ready and keeps storing throughout.
 */
@WithDevServices({DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS})
class StorageOwnershipIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static TestingLogpipe env;
  private static TestingClickHouse clickHouse;
  private static RedisClient redisClient;
  private static StatefulRedisConnection<String, String> redis;

  @BeforeAll
  static void start(DevServices services) {
    env = new TestingLogpipe();
    env.clickHouseSecret(services);
    env.backend("default", services.clickHouseUrl(), "clickhouse-admin", null);
    // The platform's second backend on the same server: logs_team_ + a = logs_ + team-a.
    ClusterLogBackend evil =
        env.backend("team-backend", services.clickHouseUrl(), "clickhouse-admin", null);
    evil.getSpec().getClickhouse().setDatabasePrefix("logs_team_");
    env.client().resource(evil).update();
    env.backend("cached", services.clickHouseUrl(), "clickhouse-admin", services.redisUrl());
    redisClient = RedisClient.create(services.redisUrl());
    redis = redisClient.connect();
    for (String ns : List.of("team-a", "a", "team-c", "team-d", "team-e", "team-f")) {
      env.namespace(ns, true);
    }
    clickHouse = TestingClickHouse.of(services);
  }

  @AfterAll
  static void stop() {
    env.close();
    clickHouse.close();
    redis.close();
    redisClient.shutdown();
  }

  @Test
  void aTenantOnAColludingPrefixCanNeitherTakeOverNorDropAnotherTenantsTable() throws Exception {
    LogPipeline victim = build("team-a", "x-y", "default", DeletionPolicy.Retain);
    assertThat(victim.getStatus().getStorage().getDatabase()).isEqualTo("logs_team_a");
    clickHouse.store("logs_team_a", "x_y", 0, 4_000);

    List<String> notReady = new CopyOnWriteArrayList<>();
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher = watchReady("team-a", "x-y", notReady, watching);
    try {
      LogPipeline attacker = build("a", "x-y", "team-backend", DeletionPolicy.Delete);
      String attackerDb = attacker.getStatus().getStorage().getDatabase();
      assertThat(attackerDb).isNotEqualTo("logs_team_a").startsWith("logs_team_a__");
      assertThat(clickHouse.comment(attackerDb, "x_y")).contains("pipeline=a/x-y");
      clickHouse.store("logs_team_a", "x_y", 4_000, 1_000);

      env.client().resources(LogPipeline.class).inNamespace("a").withName("x-y").delete();
      await().atMost(WAIT).until(() -> env.get("a", "x-y") == null);

      assertThat(clickHouse.tables(attackerDb)).doesNotContainKey("x_y");
      // The victim's table, rows and owner are untouched, and it keeps storing.
      assertThat(clickHouse.tables("logs_team_a"))
          .containsKeys(
              List.of("x_y", "x_y_ledger", "x_y_stats", "x_y_stats_v").toArray(String[]::new));
      assertThat(clickHouse.count("logs_team_a", "x_y")).isEqualTo(5_000);
      clickHouse.store("logs_team_a", "x_y", 5_000, 500);
      assertThat(clickHouse.count("logs_team_a", "x_y")).isEqualTo(5_500);
      assertThat(clickHouse.comment("logs_team_a", "x_y"))
          .isEqualTo(
              "logpipe owner pipeline=team-a/x-y uid="
                  + victim.getMetadata().getUid()
                  + " backend=default");
    } finally {
      watching.set(false);
      watcher.join();
    }
    assertThat(notReady).isEmpty();
    assertThat(isTrue(env.get("team-a", "x-y"), "StorageReady")).isTrue();
  }

  /**
   * A table at the pipeline's name that carries someone else's identity (another cluster's operator
   * on the same server, a hash collision, a table made by hand): refused, never Ready, workers at
   * 0, and deleting the pipeline with policy Delete leaves the table and its rows alone.
   */
  @Test
  void aTableOwnedByAnotherPipelineIsRefusedNamingTheOwnerAndNeverDropped() {
    String foreign = "logpipe owner pipeline=elsewhere/orders uid=1234 backend=other";
    clickHouse.execute(LogTableSchema.createDatabase("logs_team_c"));
    for (String sql : LogTableSchema.createObjects("logs_team_c", "orders", 7, foreign)) {
      clickHouse.execute(sql);
    }
    clickHouse.store("logs_team_c", "orders", 0, 300);

    env.pipeline("team-c", "orders", s -> s.setDeletionPolicy(DeletionPolicy.Delete));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              env.children().markTopicsReady(STRIMZI_NS);
              LogPipeline p = env.get("team-c", "orders");
              var storage = condition(p, "StorageReady");
              assertThat(storage.getReason()).isEqualTo("StorageOwnedByOther");
              assertThat(storage.getMessage())
                  .startsWith("Table logs_team_c.orders belongs to LogPipeline elsewhere/orders")
                  .contains("backend other");
              assertThat(condition(p, "Ready").getStatus()).isEqualTo("False");
              assertThat(condition(p, "Ready").getReason()).isEqualTo("StorageOwnedByOther");
              assertThat(condition(p, "WorkersAvailable").getReason()).isEqualTo("Stopped");
              assertThat(deployment("team-c", "orders-worker").getSpec().getReplicas()).isZero();
            });
    assertThat(clickHouse.comment("logs_team_c", "orders")).isEqualTo(foreign);

    env.client().resources(LogPipeline.class).inNamespace("team-c").withName("orders").delete();
    await().atMost(WAIT).until(() -> env.get("team-c", "orders") == null);

    assertThat(clickHouse.count("logs_team_c", "orders")).isEqualTo(300);
    assertThat(clickHouse.tables("logs_team_c")).containsKeys("orders", "orders_ledger");
  }

  /**
   * Redis keys under the pipeline's prefix whose owner key names another pipeline: CacheReady says
   * whose, and deleting the pipeline leaves them. The pipeline's own prefix gets its owner key.
   */
  @Test
  void redisKeysOwnedByAnotherPipelineAreReportedAndNeverRemoved() {
    String foreign = "logpipe owner pipeline=elsewhere/views uid=99 backend=other";
    redis.sync().set("logpipe:team-e:views:owner", foreign);
    redis.sync().set("logpipe:team-e:views:recent:checkout", "theirs");
    env.pipeline(
        "team-e",
        "views",
        s -> {
          s.setBackend("cached");
          s.setDeletionPolicy(DeletionPolicy.Delete);
        });
    env.pipeline("team-e", "mine", s -> s.setBackend("cached"));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var cache = condition(env.get("team-e", "views"), "CacheReady");
              assertThat(cache.getReason()).isEqualTo("CacheOwnedByOther");
              assertThat(cache.getMessage())
                  .startsWith(
                      "Redis keys logpipe:team-e:views:* belong to LogPipeline elsewhere/views");
              assertThat(redis.sync().get("logpipe:team-e:mine:owner"))
                  .isEqualTo(
                      "logpipe owner pipeline=team-e/mine uid="
                          + env.get("team-e", "mine").getMetadata().getUid()
                          + " backend=cached");
            });

    env.client().resources(LogPipeline.class).inNamespace("team-e").withName("views").delete();
    await().atMost(WAIT).until(() -> env.get("team-e", "views") == null);
    assertThat(redis.sync().get("logpipe:team-e:views:recent:checkout")).isEqualTo("theirs");
    assertThat(redis.sync().get("logpipe:team-e:views:owner")).isEqualTo(foreign);
  }

  /**
   * A KafkaTopic at the pipeline's topic name that carries another pipeline's labels and
   * annotations: not adopted (its labels stay), TopicReady says whose it is, and deleting the
   * pipeline with policy Delete leaves it.
   */
  @Test
  void aKafkaTopicOfAnotherPipelineIsNeitherAdoptedNorDeleted() {
    KafkaTopic foreign =
        new KafkaTopicBuilder()
            .withNewMetadata()
            .withName("logpipe.team-f.orders")
            .withNamespace(STRIMZI_NS)
            .addToLabels("app.kubernetes.io/managed-by", "logpipe-operator")
            .addToLabels("app.kubernetes.io/component", "topic")
            .addToLabels("logpipe.dev/pipeline-namespace", "elsewhere")
            .addToLabels("logpipe.dev/pipeline-name", "orders")
            .addToAnnotations("io.javaoperatorsdk/primary-name", "orders")
            .addToAnnotations("io.javaoperatorsdk/primary-namespace", "elsewhere")
            .endMetadata()
            .withNewSpec()
            .withPartitions(3)
            .withReplicas(1)
            .endSpec()
            .build();
    env.client().resource(foreign).create();

    env.pipeline("team-f", "orders", s -> s.setDeletionPolicy(DeletionPolicy.Delete));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var topic = condition(env.get("team-f", "orders"), "TopicReady");
              assertThat(topic.getReason()).isEqualTo("TopicOwnedByOther");
              assertThat(topic.getMessage())
                  .isEqualTo(
                      "KafkaTopic kafka/logpipe.team-f.orders belongs to LogPipeline"
                          + " elsewhere/orders; it is neither adopted nor deleted by this pipeline.");
            });
    env.client().resources(LogPipeline.class).inNamespace("team-f").withName("orders").delete();
    await().atMost(WAIT).until(() -> env.get("team-f", "orders") == null);

    KafkaTopic after =
        env.client()
            .resources(KafkaTopic.class)
            .inNamespace(STRIMZI_NS)
            .withName("logpipe.team-f.orders")
            .get();
    assertThat(after).isNotNull();
    assertThat(after.getMetadata().getLabels())
        .containsEntry("logpipe.dev/pipeline-namespace", "elsewhere");
    assertThat(after.getMetadata().getAnnotations())
        .containsEntry("io.javaoperatorsdk/primary-namespace", "elsewhere");
    assertThat(after.getSpec().getPartitions()).isEqualTo(3);
  }

  /** A table of an earlier version (no comment) at the pipeline's name is adopted and stamped. */
  @Test
  void aTableFromBeforeOwnersWereRecordedIsAdopted() {
    clickHouse.execute(LogTableSchema.createDatabase("logs_team_d"));
    for (String sql : LogTableSchema.createObjects("logs_team_d", "legacy", 7)) {
      clickHouse.execute(sql);
    }
    clickHouse.store("logs_team_d", "legacy", 0, 10);

    LogPipeline p = build("team-d", "legacy", "default", DeletionPolicy.Retain);

    assertThat(clickHouse.comment("logs_team_d", "legacy"))
        .isEqualTo(
            "logpipe owner pipeline=team-d/legacy uid="
                + p.getMetadata().getUid()
                + " backend=default");
    assertThat(clickHouse.count("logs_team_d", "legacy")).isEqualTo(10);
  }

  private static LogPipeline build(String ns, String name, String backend, DeletionPolicy policy) {
    env.pipeline(
        ns,
        name,
        s -> {
          s.setBackend(backend);
          s.setDeletionPolicy(policy);
        });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              env.children().markTopicsReady(STRIMZI_NS);
              env.children().markDeploymentsAvailable(ns);
              LogPipeline p = env.get(ns, name);
              assertThat(isTrue(p, "Ready"))
                  .as(() -> p.getStatus().getConditions().toString())
                  .isTrue();
            });
    return env.get(ns, name);
  }

  private static Thread watchReady(
      String ns, String name, List<String> notReady, AtomicBoolean watching) {
    Thread t =
        new Thread(
            () -> {
              while (watching.get()) {
                LogPipeline p = env.get(ns, name);
                var ready = condition(p, "Ready");
                if (ready == null || !"True".equals(ready.getStatus())) {
                  notReady.add(
                      ready == null ? "no Ready" : ready.getReason() + ": " + ready.getMessage());
                }
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "ready-watcher");
    t.start();
    return t;
  }

  private static Deployment deployment(String ns, String name) {
    return env.client().apps().deployments().inNamespace(ns).withName(name).get();
  }
}
