package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.condition;
import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.clickhouse.ClickHouseDevService;
import dev.logpipe.devservices.faults.SilentServer;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.testing.TestingLogpipe;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Wrong ClickHouse credentials on one backend: its pipeline reports ClickHouseAuthFailed (naming
 * the Secret, never the password) while a pipeline on a healthy backend keeps being reconciled. A
 * ClickHouse that accepts connections and never answers holds only its own provisioning queue: its
 * pipelines say their tables are being provisioned, and other backends' pipelines become Ready.
 */
@WithDevServices({DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS})
class BrokenBackendIsolationIT {
  private static final String GOOD = "team-good";
  private static final String BAD = "team-bad";
  private static final String HUNG = "team-hung";
  private static ClickHouseDevService locked;
  private static SilentServer hung;
  private static TestingLogpipe env;

  @BeforeAll
  static void start(DevServices services) throws Exception {
    // A server that requires a password the Secret below does not have (an external server
    // from LOGPIPE_CLICKHOUSE_URL rejects admin/wrong-password just the same).
    locked =
        ClickHouseDevService.externalConfigured()
            ? ClickHouseDevService.fromEnvironment(null)
            : ClickHouseDevService.withPassword(
                Files.createTempDirectory("locked-ch"), "admin", "right-password");
    locked.start();
    hung = new SilentServer();
    // On the mock: backend probes and their isolation involve no cluster-owned behaviour.
    env = new TestingLogpipe();
    env.namespace(GOOD, true);
    env.namespace(BAD, true);
    env.namespace(HUNG, true);
    env.clickHouseSecret(services);
    env.secret("locked-admin", "admin", "wrong-password");
    env.backend("default", services.clickHouseUrl(), "clickhouse-admin", services.redisUrl());
    env.backend("locked", locked.endpoint(), "locked-admin", null);
    env.backend("hung", hung.httpUrl(), "clickhouse-admin", null);
  }

  @AfterAll
  static void stop() throws IOException {
    env.close();
    locked.close();
    hung.close();
  }

  @Test
  void aHungClickHouseHoldsOnlyItsOwnPipelines() {
    // More pipelines on the hung server than the operator has reconcile threads (4).
    for (int i = 0; i < 6; i++) {
      env.pipeline(HUNG, "stuck-" + i, s -> s.setBackend("hung"));
    }
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              for (int i = 0; i < 6; i++) {
                var storage = condition(env.get(HUNG, "stuck-" + i), "StorageReady");
                assertThat(storage.getStatus()).isEqualTo("Unknown");
                assertThat(storage.getReason()).isEqualTo("StorageProvisioning");
                assertThat(storage.getMessage())
                    .contains("is being created or migrated on http://127.0.0.1:");
              }
            });
    env.pipeline(GOOD, "unaffected", s -> {});
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              env.children().markTopicsReady(STRIMZI_NS);
              env.children().markDeploymentsAvailable(GOOD);
              assertThat(isTrue(env.get(GOOD, "unaffected"), "Ready")).isTrue();
            });
    // Their Kubernetes side was built all the same.
    assertThat(isTrue(env.get(HUNG, "stuck-0"), "Accepted")).isTrue();
    assertThat(env.client().apps().deployments().inNamespace(HUNG).list().getItems()).hasSize(6);
  }

  @Test
  void rejectedCredentialsAreReportedWhileAnotherPipelineKeepsReconciling() {
    env.pipeline(BAD, "broken", s -> s.setBackend("locked"));
    env.pipeline(GOOD, "healthy", s -> {});

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var storage = condition(env.get(BAD, "broken"), "StorageReady");
              assertThat(storage.getReason()).isEqualTo("ClickHouseAuthFailed");
              assertThat(storage.getMessage())
                  .isEqualTo(
                      "ClickHouse rejected the credentials in Secret logpipe-system/locked-admin")
                  .doesNotContain("wrong-password");
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              env.children().markTopicsReady(STRIMZI_NS);
              env.children().markDeploymentsAvailable(GOOD);
              assertThat(isTrue(env.get(GOOD, "healthy"), "Ready")).isTrue();
            });

    // The healthy pipeline still follows spec changes while the broken one keeps failing.
    env.edit(GOOD, "healthy", s -> s.getWorkers().setReplicas(2));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        env.client()
                            .apps()
                            .deployments()
                            .inNamespace(GOOD)
                            .withName("healthy-worker")
                            .get()
                            .getSpec()
                            .getReplicas())
                    .isEqualTo(2));
    assertThat(condition(env.get(BAD, "broken"), "Ready").getReason())
        .isEqualTo("ClickHouseAuthFailed");
    // The broken pipeline's Kubernetes children were built regardless.
    assertThat(isTrue(env.get(BAD, "broken"), "Accepted")).isTrue();
  }
}
