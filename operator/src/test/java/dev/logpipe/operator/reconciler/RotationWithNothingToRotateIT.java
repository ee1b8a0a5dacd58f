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
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Adversarial review of issue 14's rotation: a request on a pipeline with no user of its own to
 * rotate (cache off, the backend's Kafka without authentication: its Secret holds only the copy of
 * the backend's ClickHouse credentials, which are not rotated). The request is recorded as handled
 * and CredentialsReady says "Rotated for logpipe.dev/rotate-credentials=..." although no password
 * changed; a platform team's rotation CronJob reads that as done.
 */
@WithDevServices({DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS})
class RotationWithNothingToRotateIT {
  private static final String NS = "team-plain";
  private static final String NAME = "orders";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static TestingLogpipe env;

  @BeforeAll
  static void start(DevServices services) {
    env = new TestingLogpipe();
    env.namespace(NS, true);
    env.defaultBackend(services); // no spec.kafka.authentication
  }

  @AfterAll
  static void stop() {
    env.close();
  }

  @Test
  void aRequestThatChangedNoPasswordIsNotReportedAsRotated() {
    env.pipeline(NS, NAME, s -> s.getCache().setEnabled(false));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              env.children().markTopicsReady(STRIMZI_NS);
              env.children().markDeploymentsAvailable(NS);
              assertThat(isTrue(env.get(NS, NAME), "Ready")).isTrue();
            });
    Secret before = credentials();

    env.requestRotation(NS, NAME, "quarterly");
    await()
        .atMost(WAIT)
        .until(
            () ->
                CredentialRotation.fingerprint("quarterly")
                    .equals(CredentialRotation.handled(credentials())));
    assertThat(credentials().getData()).as("no password changed").isEqualTo(before.getData());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(condition(env.get(NS, NAME), "CredentialsReady").getMessage())
                    .as("CredentialsReady after a request that rotated nothing")
                    .doesNotContain("Rotated for")
                    .contains("Nothing rotated for logpipe.dev/rotate-credentials=quarterly"));
  }

  private static Secret credentials() {
    return env.client().secrets().inNamespace(NS).withName(NAME + "-credentials").get();
  }
}
