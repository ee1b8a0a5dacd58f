package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.testing.TestingLogpipe;
import dev.logpipe.worker.cache.RedisLiveView;
import dev.logpipe.worker.config.Credentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator restarts (adversarial review): a pipeline deleted while it was down loses its Redis
 * user once a new operator runs, and the pipelines that stay keep their passwords (no rotation, so
 * no pod roll and no login failure) (held).
 */
@WithDevServices({DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS})
class BreakerRedisUserRestartIT {
  private static final String NS = "team-restart";
  private static final Duration WAIT = Duration.ofSeconds(40);

  private static DevServices services;
  private static TestingLogpipe env;
  private static RedisClient adminClient;
  private static RedisCommands<String, String> admin;

  @BeforeAll
  static void start(DevServices devServices) {
    services = devServices;
    env = new TestingLogpipe();
    env.namespace(NS, true);
    env.defaultBackend(services);
    adminClient = RedisClient.create(services.redisUrl());
    admin = adminClient.connect().sync();
  }

  @AfterAll
  static void stop() {
    env.close();
    adminClient.shutdown();
  }

  @Test
  void aPipelineDeletedWhileTheOperatorIsDownLosesItsUserAfterTheRestart() {
    env.pipeline(NS, "leaving", s -> {});
    env.pipeline(NS, "staying", s -> {});
    Credentials leaving = redisCredentials("leaving");
    Credentials staying = redisCredentials("staying");

    env.stopOperator();
    env.client().resource(env.get(NS, "leaving")).delete();
    // The finalizer holds it; nothing removed the user yet.
    assertThat(env.get(NS, "leaving")).isNotNull();
    assertThat(admin.aclUsers()).contains(leaving.user());

    env.replica("after-restart", new SimpleMeterRegistry());
    await().atMost(WAIT).until(() -> env.get(NS, "leaving") == null);
    await().atMost(WAIT).until(() -> !admin.aclUsers().contains(leaving.user()));
    // The survivor's Secret and its login are unchanged by the new operator's reconciles.
    await()
        .during(Duration.ofSeconds(12)) // longer than a resync (10 s in tests)
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(secretCredentials("staying")).isEqualTo(staying);
              try (var c =
                  RedisClient.create(RedisLiveView.redisUri(services.redisUrl(), staying))
                      .connect()) {
                assertThat(c.sync().get("logpipe:" + NS + ":staying:query:x")).isNull();
              }
            });
  }

  private static Credentials redisCredentials(String name) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              env.children().markTopicsReady(TestingLogpipe.STRIMZI_NS);
              assertThat(isTrue(env.get(NS, name), "CacheReady")).isTrue();
              assertThat(admin.aclUsers()).contains("logpipe." + NS + "." + name);
            });
    return secretCredentials(name);
  }

  private static Credentials secretCredentials(String name) {
    Secret secret = env.client().secrets().inNamespace(NS).withName(name + "-credentials").get();
    return new Credentials(
        decode(secret.getData().get(Credentials.REDIS_USER)),
        decode(secret.getData().get(Credentials.REDIS_PASSWORD)));
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
