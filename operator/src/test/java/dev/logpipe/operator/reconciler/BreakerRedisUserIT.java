package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.testing.TestingLogpipe;
import dev.logpipe.worker.cache.RedisLiveView;
import dev.logpipe.worker.config.Credentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Adversarial review of the per-pipeline Redis ACL users, on the real Redis 7 and a real control
 * plane: a tenant with {@code edit} in its namespace (so it reads and writes the pipeline's
 * credentials Secret) and the Redis password the pods hold, and a Redis that forgets its users (ACL
 * users live in memory only; DELUSER behind the operator's back leaves Redis in the state a restart
 * does).
 */
@WithDevServices({DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS})
class BreakerRedisUserIT {
  private static final String NS = "team-hostile";
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
   * The tenant writes a Secret naming the neighbour's Redis user with a password of its choosing:
   * the operator must neither set that password on the neighbour's user nor hand the neighbour's
   * user to this pipeline (held).
   */
  @Test
  void editingTheSecretCannotTakeOverAnotherPipelinesUser() {
    env.pipeline(NS, "victim", s -> {});
    env.pipeline(NS, "thief", s -> {});
    Credentials victim = redisCredentials("victim");
    Credentials thief = redisCredentials("thief");
    admin.set("logpipe:" + NS + ":victim:query:secret", "victim's");

    Secret edited = env.client().secrets().inNamespace(NS).withName("thief-credentials").get();
    edited.getData().put(Credentials.REDIS_USER, encode("logpipe." + NS + ".victim"));
    edited.getData().put(Credentials.REDIS_PASSWORD, encode("chosen-by-the-tenant"));
    edited.getMetadata().setResourceVersion(null);
    env.client().resource(edited).update();

    // The operator puts its own user back, with a fresh password (the tenant's is dropped).
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Credentials now = secretCredentials("thief");
              assertThat(now.user()).isEqualTo("logpipe." + NS + ".thief");
              assertThat(now.password()).isNotEqualTo("chosen-by-the-tenant");
              try (var c = connect(now)) {
                assertThat(c.sync().get("logpipe:" + NS + ":thief:query:x")).isNull();
              }
            });
    assertThatThrownBy(() -> connect(new Credentials(victim.user(), "chosen-by-the-tenant")))
        .isInstanceOf(RedisConnectionException.class);
    try (var c = connect(victim)) {
      assertThat(c.sync().get("logpipe:" + NS + ":victim:query:secret")).isEqualTo("victim's");
    }
    assertThat(thief.password()).isNotEqualTo(victim.password());
  }

  /**
   * Redis forgets its ACL users (a restart, a failover to a replica without ACL file): the operator
   * sets them again from the Secrets, with the same password, within a resync (held; 10 s in tests,
   * 60 s by default, so the workers' live views are off that long).
   */
  @Test
  void aRedisThatForgotItsUsersGetsThemBackWithTheSamePassword() {
    env.pipeline(NS, "amnesia", s -> {});
    Credentials c = redisCredentials("amnesia");
    // Gone now (a reconcile still running may set it again at once, so no check that logins fail).
    assertThat(admin.aclDeluser(c.user())).isEqualTo(1);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              try (var conn = connect(c)) {
                assertThat(conn.sync().get("logpipe:" + NS + ":amnesia:query:x")).isNull();
              }
            });
  }

  /**
   * The operator's ownership mark {@code <prefix>owner} once lay inside the pipeline user's key
   * pattern. A forged mark made the operator's deletion skip the user ("keys belong to something
   * other than logpipe"): the ACL user, with a password the tenant knows, outlived the pipeline.
   * The user may no longer write the mark (the test below); here it is forged by another writer,
   * and the user must still go with the pipeline.
   */
  @Test
  void aTenantCannotKeepItsRedisUserAliveAfterItsPipelineIsDeleted() {
    env.pipeline(NS, "squatter", s -> {});
    Credentials c = redisCredentials("squatter");
    admin.set("logpipe:" + NS + ":squatter:owner", "mine now");
    env.client().resource(env.get(NS, "squatter")).delete();
    await().atMost(WAIT).until(() -> env.get(NS, "squatter") == null);
    assertThat(admin.aclUsers()).doesNotContain(c.user());
    assertThatThrownBy(() -> connect(c).sync().set("logpipe:" + NS + ":squatter:query:more", "x"))
        .isInstanceOf(RedisConnectionException.class);
  }

  /**
   * Switching the cache off removes the user and takes its password out of the Secret the pods read
   * (held).
   */
  @Test
  void switchingTheCacheOffRemovesTheUser() {
    env.pipeline(NS, "cacheless", s -> {});
    Credentials c = redisCredentials("cacheless");
    // The operator writes the object too (finalizer, status): an edit may meet a 409; retry it.
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () ->
                env.client()
                        .resources(LogPipeline.class)
                        .inNamespace(NS)
                        .withName("cacheless")
                        .edit(
                            p -> {
                              p.getSpec().getCache().setEnabled(false);
                              return p;
                            })
                    != null);
    await().atMost(WAIT).until(() -> !admin.aclUsers().contains(c.user()));
    // The Secret keeps the dead password (the SSA match ignores keys no longer desired): harmless,
    // it opens nothing now, and switching the cache on again sets the user with it.
    assertThatThrownBy(() -> connect(c)).isInstanceOf(RedisConnectionException.class);
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
    return secretCredentials(name);
  }

  private static Credentials secretCredentials(String name) {
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
