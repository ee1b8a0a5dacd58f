package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.condition;
import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.model.SecretHashes;
import dev.logpipe.operator.testing.TestingLogCapture;
import dev.logpipe.operator.testing.TestingLogpipe;
import dev.logpipe.worker.cache.RedisLiveView;
import dev.logpipe.worker.config.Credentials;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.gateway.QueryCache;
import dev.logpipe.worker.gateway.QueryParameters;
import dev.logpipe.worker.metrics.WorkerMetrics;
import dev.logpipe.worker.model.LogEvent;
import io.fabric8.kubernetes.api.model.Secret;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each pipeline's Redis ACL user on the real Redis 7: the worker's live views and the gateway's
 * query cache work with it; it gets NOPERM on another pipeline's keys and on every command the
 * worker and gateway do not use; it goes with the pipeline. No password the operator made appears
 * in the pipelines' status, the events or the operator's log.
 */
@WithDevServices({DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS})
class RedisPipelineUserIT {
  private static final String NS = "team-acl";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static TestingLogCapture log;

  private static DevServices services;
  private static TestingLogpipe env;
  private static RedisClient adminClient;
  private static RedisCommands<String, String> admin;

  @BeforeAll
  static void start(DevServices devServices) {
    services = devServices;
    env = new TestingLogpipe();
    // After the operator's start, which resets the log configuration: captures what it prints.
    log = TestingLogCapture.install();
    env.namespace(NS, true);
    env.defaultBackend(services);
    adminClient = RedisClient.create(services.redisUrl());
    admin = adminClient.connect().sync();
  }

  @AfterAll
  static void stop() {
    log.close();
    env.close();
    adminClient.shutdown();
  }

  @Test
  void eachPipelineHasItsOwnLeastPrivilegeUserThatGoesWithIt() throws Exception {
    env.pipeline(NS, "alpha", s -> s.getGateway().setEnabled(true));
    env.pipeline(NS, "beta", s -> {});
    Credentials a = redisCredentials("alpha");
    Credentials b = redisCredentials("beta");
    assertThat(a.user()).isEqualTo("logpipe.team-acl.alpha");
    assertThat(b.user()).isEqualTo("logpipe.team-acl.beta");
    assertThat(a.password()).hasSize(43).isNotEqualTo(b.password());
    admin.set("logpipe:team-acl:beta:secret", "b's");
    // The pods read the password the Secret holds: the worker's template hashes that very Secret
    // (a password made twice in one reconcile would show here as a mismatch, and roll forever).
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        env.client()
                            .apps()
                            .deployments()
                            .inNamespace(NS)
                            .withName("alpha-worker")
                            .get()
                            .getSpec()
                            .getTemplate()
                            .getMetadata()
                            .getAnnotations())
                    .containsEntry(
                        SecretHashes.CREDENTIALS,
                        SecretHashes.of(
                            env.client()
                                .secrets()
                                .inNamespace(NS)
                                .withName("alpha-credentials")
                                .get())));

    // The worker's live views and the gateway's query cache work as alpha's user.
    PipelineConfig.Redis alphaRedis =
        new PipelineConfig.Redis(services.redisUrl(), "logpipe:team-acl:alpha:", 10, 10, 60);
    try (RedisLiveView view =
        new RedisLiveView(
            alphaRedis, a, new WorkerMetrics(new PipelineConfig.Pipeline(NS, "alpha")))) {
      var batch = view.newBatch();
      LogEvent event =
          new LogEvent()
              .timestampMs(System.currentTimeMillis())
              .service("checkout")
              .level("ERROR")
              .message("boom")
              .source(0, 1);
      event.addAnomaly("error-level", 60);
      batch.add(event);
      view.publish(batch);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(admin.keys("logpipe:team-acl:alpha:*"))
                      .contains(
                          "logpipe:team-acl:alpha:recent:checkout",
                          "logpipe:team-acl:alpha:services",
                          "logpipe:team-acl:alpha:anomalies"));
      assertThat(view.healthy()).as(view.lastError()).isTrue();
    }
    try (QueryCache cache = new QueryCache(alphaRedis, a, 60, new SimpleMeterRegistry())) {
      var params = new QueryParameters(Map.of("to", List.of("2020-01-01T00:00:00Z")), Set.of("to"));
      assertThat(cache.get("/v1/logs", params, Instant.now(), () -> "[1]").hit()).isFalse();
      assertThat(cache.get("/v1/logs", params, Instant.now(), () -> "[2]"))
          .isEqualTo(new QueryCache.Result("[1]", true));
    }

    // Alpha's credentials: NOPERM on beta's keys and on commands outside the list.
    try (StatefulRedisConnection<String, String> c = connect(a)) {
      RedisCommands<String, String> as = c.sync();
      assertNoPerm(r -> r.get("logpipe:team-acl:beta:secret"), as);
      assertNoPerm(r -> r.set("logpipe:team-acl:beta:secret", "mine"), as);
      assertNoPerm(r -> r.lpush("logpipe:team-acl:beta:recent:x", "v"), as);
      assertNoPerm(r -> r.get("unrelated"), as);
      assertNoPerm(r -> r.del("logpipe:team-acl:alpha:services"), as);
      assertNoPerm(r -> r.keys("*"), as);
      assertNoPerm(r -> r.scan(), as);
      assertNoPerm(r -> r.flushall(), as);
      assertNoPerm(r -> r.configGet("*"), as);
      assertNoPerm(r -> r.aclList(), as);
      assertNoPerm(r -> r.publish("anything", "x"), as);
      assertThat(as.get("logpipe:team-acl:alpha:query:nothing")).isNull();
      // Only the keys the pods use: not the operator's owner mark, not any other key.
      assertNoPerm(r -> r.get("logpipe:team-acl:alpha:owner"), as);
      assertNoPerm(r -> r.set("logpipe:team-acl:alpha:anything", "x"), as);
    }
    assertThat(admin.get("logpipe:team-acl:beta:secret")).isEqualTo("b's");

    String alphaPassword = a.password();
    String betaPassword = b.password();
    // chDB cannot create users: ClickHouse stays shared, and status quotes the server's refusal.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var credentials = condition(env.get(NS, "alpha"), "CredentialsReady");
              assertThat(credentials.getStatus()).isEqualTo("False");
              assertThat(credentials.getReason()).isEqualTo("SharedClickHouseCredentials");
              assertThat(credentials.getMessage())
                  .contains("Redis: own ACL user logpipe.team-acl.alpha")
                  .contains(
                      "ClickHouse: the backend's credentials, copied into Secret"
                          + " alpha-credentials, because the server cannot create per-pipeline"
                          + " users: ")
                  .contains("CREATE USER")
                  .doesNotContainPattern("[0-9a-f]{32}");
            });
    // Informative only: shared ClickHouse credentials do not hold Ready back.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              env.children().markTopicsReady(TestingLogpipe.STRIMZI_NS);
              env.children().markDeploymentsAvailable(NS);
              assertThat(isTrue(env.get(NS, "alpha"), "Ready")).isTrue();
            });
    String alphaStatus =
        env.client().getKubernetesSerialization().asJson(env.get(NS, "alpha").getStatus());

    // The user goes with the pipeline: its password no longer opens anything.
    env.client().resource(env.get(NS, "alpha")).delete();
    await().atMost(WAIT).until(() -> env.get(NS, "alpha") == null);
    assertThat(admin.aclUsers()).doesNotContain("logpipe.team-acl.alpha");
    assertThatThrownBy(() -> connect(a).sync().get("logpipe:team-acl:alpha:x"))
        .isInstanceOf(RedisConnectionException.class);
    assertThat(admin.aclUsers()).contains("logpipe.team-acl.beta");

    // Nothing the operator made shows in status, events or its log.
    List<String> seen = new ArrayList<>();
    seen.add(alphaStatus);
    seen.add(env.client().getKubernetesSerialization().asJson(env.get(NS, "beta").getStatus()));
    env.client()
        .v1()
        .events()
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(e -> seen.add(e.toString()));
    seen.addAll(log.lines());
    assertThat(log.lines())
        .anyMatch(l -> l.contains("event=redis_user_deleted user=logpipe.team-acl.alpha"));
    for (String text : seen) {
      assertThat(text).doesNotContain(alphaPassword).doesNotContain(betaPassword);
    }
  }

  /** The pipeline's Redis credentials from its Secret, once the operator reports the user. */
  private static Credentials redisCredentials(String name) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              env.children().markTopicsReady(TestingLogpipe.STRIMZI_NS);
              assertThat(isTrue(env.get(NS, name), "CacheReady")).isTrue();
              assertThat(admin.aclUsers()).contains("logpipe.team-acl." + name);
            });
    Secret secret = env.client().secrets().inNamespace(NS).withName(name + "-credentials").get();
    return new Credentials(
        decode(secret.getData().get(Credentials.REDIS_USER)),
        decode(secret.getData().get(Credentials.REDIS_PASSWORD)));
  }

  private static StatefulRedisConnection<String, String> connect(Credentials c) {
    return RedisClient.create(RedisLiveView.redisUri(services.redisUrl(), c)).connect();
  }

  private static void assertNoPerm(
      Consumer<RedisCommands<String, String>> command, RedisCommands<String, String> as) {
    assertThatThrownBy(() -> command.accept(as))
        .isInstanceOf(RedisCommandExecutionException.class)
        .hasMessageStartingWith("NOPERM");
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
