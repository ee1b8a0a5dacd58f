package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.condition;
import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.model.CredentialRotation;
import dev.logpipe.operator.model.SecretHashes;
import dev.logpipe.operator.testing.TestingLogCapture;
import dev.logpipe.operator.testing.TestingLogpipe;
import dev.logpipe.worker.cache.RedisLiveView;
import dev.logpipe.worker.config.Credentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rotation by annotation (fabric8 mock API server, the test playing Strimzi's User Operator, real
 * Redis 7): a new {@code logpipe.dev/rotate-credentials} value gives the pipeline a new Redis
 * password (the old one refused by Redis) and new Kafka passwords (Strimzi asked through the
 * deletion of its user Secrets, as its User Operator renews generated passwords), rolls worker and
 * gateway once, says so in CredentialsReady, and is not repeated by later reconciles, also not by a
 * restarted operator. No password reaches the operator's log.
 */
@WithDevServices({DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS})
class CredentialRotationIT {
  private static final String NS = "team-rotate";
  private static final String NAME = "orders";
  private static final String WORKER = "logpipe.team-rotate.orders.worker";
  private static final String GATEWAY = "logpipe.team-rotate.orders.gateway";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static TestingLogpipe env;
  private static DevServices services;
  private static final List<String> PASSWORDS = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static TestingLogCapture log;

  @BeforeAll
  static void start(DevServices devServices) {
    services = devServices;
    env = new TestingLogpipe();
    // After the operator's start, which resets the log configuration: captures what it prints.
    log = TestingLogCapture.install();
    env.namespace(NS, true);
    env.defaultBackendWithKafkaUsers(services, "127.0.0.1:9095");
  }

  @AfterAll
  static void stop() {
    log.close();
    env.close();
    // The rotation is logged by its request value; no password reached the operator's log.
    String printed = log.text();
    assertThat(printed).contains("event=credentials_rotated").doesNotContain("pw-logpipe");
    for (String password : PASSWORDS) {
      assertThat(printed).doesNotContain(password);
    }
  }

  @Test
  void aNewRequestValueRotatesRedisAndKafkaPasswordsOnceAndRollsThePods() {
    env.pipeline(NS, NAME, s -> s.getGateway().setEnabled(true));
    awaitReady();
    Secret before = credentials();
    assertThat(before.getData())
        .containsEntry("LOGPIPE_KAFKA_WORKER_PASSWORD", b64("pw-" + WORKER))
        .containsEntry("LOGPIPE_KAFKA_GATEWAY_PASSWORD", b64("pw-" + GATEWAY));
    Credentials oldRedis = redis(before);
    assertThat(logsIn(oldRedis)).isTrue();
    String workerHash = hash("-worker");
    String gatewayHash = hash("-gateway");

    annotate("2026-12-03T19:00");
    // Until Strimzi wrote the new passwords: CredentialsReady says what the rotation waits for,
    // the pods keep running on the old Secret, and Ready does not flap.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              LogPipeline p = env.get(NS, NAME);
              var c = condition(p, "CredentialsReady");
              assertThat(c.getReason()).isEqualTo("KafkaUserPending");
              assertThat(c.getMessage())
                  .contains(
                      "Rotating the pipeline's credentials"
                          + " (logpipe.dev/rotate-credentials=2026-12-03T19:00): waiting for"
                          + " Strimzi's User Operator to write a new password for KafkaUser kafka/"
                          + WORKER);
              assertThat(isTrue(p, "WorkersAvailable")).isTrue();
              assertThat(isTrue(p, "GatewayAvailable")).isTrue();
              assertThat(isTrue(p, "Ready")).isTrue();
            });
    assertThat(credentials().getData()).isEqualTo(before.getData());
    assertThat(env.client().secrets().inNamespace(STRIMZI_NS).withName(WORKER).get()).isNull();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              env.children().markUsersReady(STRIMZI_NS);
              env.children().markDeploymentsAvailable(NS);
              Secret after = credentials();
              assertThat(CredentialRotation.handled(after))
                  .isEqualTo(CredentialRotation.fingerprint("2026-12-03T19:00"));
              assertThat(after.getData())
                  .containsEntry("LOGPIPE_KAFKA_WORKER_PASSWORD", b64("pw-" + WORKER + "-r1"))
                  .containsEntry("LOGPIPE_KAFKA_GATEWAY_PASSWORD", b64("pw-" + GATEWAY + "-r1"));
              assertThat(hash("-worker")).isNotEqualTo(workerHash);
              assertThat(hash("-gateway")).isNotEqualTo(gatewayHash);
              LogPipeline p = env.get(NS, NAME);
              assertThat(isTrue(p, "Ready")).isTrue();
              assertThat(condition(p, "CredentialsReady").getMessage())
                  .contains("Rotated for logpipe.dev/rotate-credentials=2026-12-03T19:00.")
                  .doesNotContain(oldRedis.password());
            });
    Credentials newRedis = redis(credentials());
    PASSWORDS.addAll(List.of(oldRedis.password(), newRedis.password()));
    assertThat(newRedis.user()).isEqualTo(oldRedis.user());
    assertThat(newRedis.password()).isNotEqualTo(oldRedis.password());
    // The real Redis: the new password set on the pipeline's user, the old one refused.
    await().atMost(WAIT).until(() -> logsIn(newRedis));
    assertThat(logsIn(oldRedis)).isFalse();
    String rotatedWorkerHash = hash("-worker");
    Map<String, String> rotated = credentials().getData();

    // A restarted operator and later reconciles (a spec change) rotate nothing again: same
    // passwords, same pods, Strimzi's Secrets not deleted a second time.
    env.stopOperator();
    env.replica("restarted", new SimpleMeterRegistry());
    env.edit(NS, NAME, s -> s.getStorage().setRetentionDays(9));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              env.children().markUsersReady(STRIMZI_NS);
              env.children().markDeploymentsAvailable(NS);
              assertThat(env.get(NS, NAME).getStatus().getObservedGeneration()).isEqualTo(2L);
            });
    assertThat(credentials().getData()).isEqualTo(rotated);
    assertThat(hash("-worker")).isEqualTo(rotatedWorkerHash);
    assertThat(logsIn(newRedis)).isTrue();
    assertThat(env.client().secrets().inNamespace(STRIMZI_NS).withName(WORKER).get().getData())
        .containsEntry("password", b64("pw-" + WORKER + "-r1"));
  }

  private static void awaitReady() {
    env.awaitReady(NS, NAME, WAIT);
  }

  private static void annotate(String value) {
    env.requestRotation(NS, NAME, value);
  }

  private static Secret credentials() {
    return env.client().secrets().inNamespace(NS).withName(NAME + "-credentials").get();
  }

  private static String hash(String suffix) {
    return env.client()
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName(NAME + suffix)
        .get()
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get(SecretHashes.CREDENTIALS);
  }

  private static Credentials redis(Secret secret) {
    return new Credentials(
        decode(secret.getData().get(Credentials.REDIS_USER)),
        decode(secret.getData().get(Credentials.REDIS_PASSWORD)));
  }

  /** Whether the real Redis accepts these credentials (AUTH at connect; then a command). */
  private static boolean logsIn(Credentials c) {
    RedisClient client = RedisClient.create(RedisLiveView.redisUri(services.redisUrl(), c));
    try (var connection = client.connect()) {
      connection.sync().get("logpipe:team-rotate:orders:query:probe");
      return true;
    } catch (RedisConnectionException e) {
      return false;
    } finally {
      client.shutdown();
    }
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
