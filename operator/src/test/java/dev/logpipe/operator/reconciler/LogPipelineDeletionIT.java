package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.api.v1alpha1.DeletionPolicy;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.testing.TestingClickHouse;
import dev.logpipe.operator.testing.TestingLogpipe;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deleting a pipeline: Retain keeps topics and table, Delete removes them; Redis keys always go.
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
    env = new TestingLogpipe();
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

  private static void build(String name, DeletionPolicy policy) {
    env.pipeline(NS, name, s -> s.setDeletionPolicy(policy));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              env.children().markTopicsReady(STRIMZI_NS);
              env.children().markDeploymentsAvailable(NS);
              assertThat(isTrue(env.get(NS, name), "Ready")).isTrue();
            });
    assertThat(clickHouse.tables("logs_team_del")).containsKey(name);
    for (int i = 0; i < 2_500; i++) {
      redis.sync().set("logpipe:team-del:" + name + ":recent:" + i, "x");
    }
  }

  private static void delete(String name) {
    env.client().resources(LogPipeline.class).inNamespace(NS).withName(name).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> env.get(NS, name) == null);
  }

  private static KafkaTopic topic(String name) {
    return env.client().resources(KafkaTopic.class).inNamespace(STRIMZI_NS).withName(name).get();
  }
}
