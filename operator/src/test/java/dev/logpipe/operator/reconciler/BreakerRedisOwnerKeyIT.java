package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.testing.TestingLogpipe;
import dev.logpipe.worker.cache.RedisLiveView;
import dev.logpipe.worker.config.Credentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Adversarial review of the per-pipeline Redis users: a tenant holding its pipeline's Redis
 * password cannot forge the operator's owner key (the user's key patterns leave it out), so
 * deleting the pipeline removes everything the tenant wrote.
 */
@WithDevServices({DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS})
class BreakerRedisOwnerKeyIT {
  private static final String NS = "team-findings";
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

  /**
   * The pipeline's user may SET the gateway's cache keys, of any size and without TTL (the live
   * views' bounds bind only the worker's code), but not the operator's owner key nor any other key
   * of its prefix: a forged owner key once made the deletion keep everything the tenant wrote.
   */
  @Test
  void aTenantCannotLeaveDataInTheSharedRedisAfterItsPipelineIsDeleted() {
    env.pipeline(NS, "hoarder", s -> {});
    Credentials c = redisCredentials("hoarder");
    String prefix = "logpipe:" + NS + ":hoarder:";
    try (var conn = connect(c)) {
      assertThat(conn.sync().set(prefix + "query:blob", "x".repeat(8 << 20))).isEqualTo("OK");
      assertThatThrownBy(() -> conn.sync().set(prefix + "owner", "not yours"))
          .hasMessageContaining("NOPERM");
      assertThatThrownBy(() -> conn.sync().set(prefix + "blob", "x"))
          .hasMessageContaining("NOPERM");
    }
    env.client().resource(env.get(NS, "hoarder")).delete();
    await().atMost(WAIT).until(() -> env.get(NS, "hoarder") == null);
    assertThat(admin.aclUsers()).doesNotContain(c.user());
    assertThat(admin.keys(prefix + "*")).isEmpty();
  }

  /** The pipeline's Redis credentials from its Secret, once the operator reports the user. */
  private static Credentials redisCredentials(String name) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              env.children().markTopicsReady(TestingLogpipe.STRIMZI_NS);
              assertThat(isTrue(env.get(NS, name), "CacheReady")).isTrue();
              assertThat(admin.aclUsers()).contains("logpipe." + NS + "." + name);
            });
    Secret secret = env.client().secrets().inNamespace(NS).withName(name + "-credentials").get();
    return new Credentials(
        decode(secret.getData().get(Credentials.REDIS_USER)),
        decode(secret.getData().get(Credentials.REDIS_PASSWORD)));
  }

  private static StatefulRedisConnection<String, String> connect(Credentials c) {
    return RedisClient.create(RedisLiveView.redisUri(services.redisUrl(), c)).connect();
  }

  private static String encode(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
