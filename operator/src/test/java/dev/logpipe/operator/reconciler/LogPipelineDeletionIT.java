package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.api.v1alpha1.DeletionPolicy;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.api.v1alpha1.LogPipelineSpec;
import dev.logpipe.operator.testing.TestingClickHouse;
import dev.logpipe.operator.testing.TestingLogpipe;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deleting a pipeline on a real control plane: Retain keeps topics and table, Delete removes them;
 * Redis keys always go; the real garbage collector removes every child in the pipeline's namespace
 * through its owner reference, while KafkaTopics in the Strimzi namespace go through the finalizer;
 * deleting the whole namespace lets the namespace controller finish (the finalizer is removed and
 * the namespace disappears).
 */
@WithDevServices({DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS})
class LogPipelineDeletionIT {
  private static final String NS = "team-del";
  private static TestingLogpipe env;
  private static TestingClickHouse clickHouse;
  private static RedisClient redisClient;
  private static StatefulRedisConnection<String, String> redis;

  @BeforeAll
  static void start(DevServices services) {
    env = TestingLogpipe.onRealServer();
    env.namespace(NS, true);
    env.defaultBackend(services);
    clickHouse = TestingClickHouse.of(services);
    redisClient = RedisClient.create(services.redisUrl());
    redis = redisClient.connect();
  }

  @AfterAll
  static void stop() {
    env.close();
    clickHouse.close();
    redis.close();
    redisClient.shutdown();
  }

  @Test
  void retainKeepsTopicsAndTableButRemovesCacheKeys() {
    build("keeper", DeletionPolicy.Retain);

    delete("keeper");

    assertThat(topic("logpipe.team-del.keeper")).isNotNull();
    assertThat(topic("logpipe.team-del.keeper.dlq")).isNotNull();
    assertThat(clickHouse.tables("logs_team_del")).containsKeys("keeper", "keeper_ledger");
    assertThat(redis.sync().keys("logpipe:team-del:keeper:*")).isEmpty();
  }

  @Test
  void deleteRemovesTopicsTableAndCacheKeys() {
    build("scrapped", DeletionPolicy.Delete);
    redis.sync().set("logpipe:team-del:scrappedx:unrelated", "stays");

    delete("scrapped");

    assertThat(topic("logpipe.team-del.scrapped")).isNull();
    assertThat(topic("logpipe.team-del.scrapped.dlq")).isNull();
    assertThat(clickHouse.tables("logs_team_del"))
        .doesNotContainKeys("scrapped", "scrapped_ledger");
    assertThat(redis.sync().keys("logpipe:team-del:scrapped:*")).isEmpty();
    assertThat(redis.sync().get("logpipe:team-del:scrappedx:unrelated")).isEqualTo("stays");
  }

  @Test
  void theGarbageCollectorRemovesEveryOwnedChildAndTheFinalizerTheTopics() {
    build(
        NS,
        "collected",
        s -> {
          s.setDeletionPolicy(DeletionPolicy.Delete);
          s.getGateway().setEnabled(true);
        });
    List<String> owned =
        List.of(
            "ConfigMap/collected-pipeline-config",
            "Secret/collected-credentials",
            "Secret/collected-gateway-token",
            "Deployment/collected-worker",
            "Deployment/collected-gateway",
            "Service/collected-gateway");
    assertThat(children(NS, "collected")).containsAll(owned);
    assertThat(pods(NS)).isNotEmpty();
    // Every child is tied to the pipeline only by its owner reference: nothing but the garbage
    // collector deletes them (the operator's cleanup handles what lives outside the namespace).
    String uid = env.get(NS, "collected").getMetadata().getUid();
    assertThat(
            env.client()
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName("collected-worker")
                .get()
                .getMetadata()
                .getOwnerReferences())
        .anySatisfy(o -> assertThat(o.getUid()).isEqualTo(uid));

    delete(NS, "collected");

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(children(NS, "collected")).isEmpty();
              assertThat(pods(NS)).noneMatch(p -> p.startsWith("collected-"));
            });
    assertThat(topic("logpipe.team-del.collected")).isNull();
    assertThat(topic("logpipe.team-del.collected.dlq")).isNull();
  }

  @Test
  void deletingThePipelinesNamespaceFinishesAndCleansUpOutsideIt() {
    String ns = "team-doomed";
    env.namespace(ns, true);
    build(ns, "doomed", s -> s.setDeletionPolicy(DeletionPolicy.Delete));
    assertThat(clickHouse.tables("logs_team_doomed")).containsKey("doomed");

    env.client().namespaces().withName(ns).delete();

    // The namespace controller deletes the LogPipeline and waits for its finalizer: the namespace
    // disappears only once the operator has cleaned up and let go.
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> env.client().namespaces().withName(ns).get() == null);
    assertThat(topic("logpipe.team-doomed.doomed")).isNull();
    assertThat(topic("logpipe.team-doomed.doomed.dlq")).isNull();
    assertThat(clickHouse.tables("logs_team_doomed")).doesNotContainKey("doomed");
    assertThat(redis.sync().keys("logpipe:team-doomed:doomed:*")).isEmpty();
  }

  private static void build(String name, DeletionPolicy policy) {
    build(NS, name, s -> s.setDeletionPolicy(policy));
  }

  private static void build(String ns, String name, Consumer<LogPipelineSpec> spec) {
    env.pipeline(ns, name, spec);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              env.children().markTopicsReady(STRIMZI_NS);
              env.children().markDeploymentsAvailable(ns);
              assertThat(isTrue(env.get(ns, name), "Ready")).isTrue();
            });
    String database = "logs_" + ns.replace('-', '_');
    assertThat(clickHouse.tables(database)).containsKey(name);
    for (int i = 0; i < 2_500; i++) {
      redis.sync().set("logpipe:" + ns + ":" + name + ":recent:" + i, "x");
    }
  }

  private static void delete(String name) {
    delete(NS, name);
  }

  private static void delete(String ns, String name) {
    env.client().resources(LogPipeline.class).inNamespace(ns).withName(name).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> env.get(ns, name) == null);
  }

  /** Kind/name of every ConfigMap, Secret, Deployment and Service of {@code pipeline}. */
  private static List<String> children(String ns, String pipeline) {
    List<String> out = new ArrayList<>();
    var c = env.client();
    c.configMaps().inNamespace(ns).list().getItems().forEach(o -> add(out, o, pipeline));
    c.secrets().inNamespace(ns).list().getItems().forEach(o -> add(out, o, pipeline));
    c.apps().deployments().inNamespace(ns).list().getItems().forEach(o -> add(out, o, pipeline));
    c.apps().replicaSets().inNamespace(ns).list().getItems().forEach(o -> add(out, o, pipeline));
    c.services().inNamespace(ns).list().getItems().forEach(o -> add(out, o, pipeline));
    return out;
  }

  private static void add(List<String> out, HasMetadata o, String pipeline) {
    if (o.getMetadata().getName().startsWith(pipeline + "-")) {
      out.add(o.getKind() + "/" + o.getMetadata().getName());
    }
  }

  private static List<String> pods(String ns) {
    return env.client().pods().inNamespace(ns).list().getItems().stream()
        .map(p -> p.getMetadata().getName())
        .toList();
  }

  private static KafkaTopic topic(String name) {
    return env.client().resources(KafkaTopic.class).inNamespace(STRIMZI_NS).withName(name).get();
  }
}
