package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.condition;
import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.model.CredentialRotation;
import dev.logpipe.operator.testing.TestingLogpipe;
import io.fabric8.kubernetes.api.model.Secret;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Adversarial review of issue 14's rotation, bad timing: the operator stops after it asked Strimzi
 * for new Kafka passwords (the user Secrets deleted) and before Strimzi wrote them; Strimzi writes
 * them while no operator runs; a new operator starts. CredentialRotationIT restarts the operator
 * only after a finished rotation. Asked here: the rotation finishes exactly once, with the
 * passwords Strimzi wrote for it (not a second renewal, not the old ones), for the worker and the
 * gateway.
 */
@WithDevServices({DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS})
class RotationRestartIT {
  private static final String NS = "team-restart";
  private static final String NAME = "orders";
  private static final String WORKER = "logpipe." + NS + "." + NAME + ".worker";
  private static final String GATEWAY = "logpipe." + NS + "." + NAME + ".gateway";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static TestingLogpipe env;

  @BeforeAll
  static void start(DevServices services) {
    env = new TestingLogpipe();
    env.namespace(NS, true);
    env.defaultBackendWithKafkaUsers(services, "127.0.0.1:9095");
  }

  @AfterAll
  static void stop() {
    env.close();
  }

  @Test
  void anOperatorStoppedWhileStrimziRenewsFinishesTheRotationOnceAfterItsRestart() {
    env.pipeline(NS, NAME, s -> s.getGateway().setEnabled(true));
    env.awaitReady(NS, NAME, WAIT);
    Secret before = credentials();

    env.requestRotation(NS, NAME, "mid-restart");
    // The operator asked Strimzi (both user Secrets deleted) and waits for it.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(strimzi(WORKER)).isNull();
              assertThat(strimzi(GATEWAY)).isNull();
              assertThat(condition(env.get(NS, NAME), "CredentialsReady").getReason())
                  .isEqualTo("KafkaUserPending");
            });
    env.stopOperator();
    env.children().markUsersReady(STRIMZI_NS); // Strimzi renews while no operator runs
    assertThat(credentials().getData()).isEqualTo(before.getData());
    env.replica("after-restart", new SimpleMeterRegistry());

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              env.children().markUsersReady(STRIMZI_NS);
              env.children().markDeploymentsAvailable(NS);
              assertThat(CredentialRotation.handled(credentials()))
                  .isEqualTo(CredentialRotation.fingerprint("mid-restart"));
              assertThat(isTrue(env.get(NS, NAME), "Ready")).isTrue();
            });
    assertThat(credentials().getData())
        .containsEntry("LOGPIPE_KAFKA_WORKER_PASSWORD", b64("pw-" + WORKER + "-r1"))
        .containsEntry("LOGPIPE_KAFKA_GATEWAY_PASSWORD", b64("pw-" + GATEWAY + "-r1"));
    assertThat(credentials().getData().get("LOGPIPE_REDIS_PASSWORD"))
        .isNotEqualTo(before.getData().get("LOGPIPE_REDIS_PASSWORD"));
    // Strimzi was asked once: its Secrets still hold the first renewal.
    assertThat(strimzi(WORKER).getData()).containsEntry("password", b64("pw-" + WORKER + "-r1"));
    assertThat(strimzi(GATEWAY).getData()).containsEntry("password", b64("pw-" + GATEWAY + "-r1"));
    assertThat(condition(env.get(NS, NAME), "CredentialsReady").getMessage())
        .endsWith("Rotated for logpipe.dev/rotate-credentials=mid-restart.");
  }

  private static Secret credentials() {
    return env.client().secrets().inNamespace(NS).withName(NAME + "-credentials").get();
  }

  private static Secret strimzi(String user) {
    return env.client().secrets().inNamespace(STRIMZI_NS).withName(user).get();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
