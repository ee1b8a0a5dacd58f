package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.condition;
import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.clickhouse.ClickHouseDevService;
import dev.logpipe.operator.testing.TestingLogpipe;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ClickHouse dies: StorageReady turns False with a clear message, and recovers on its own. */
class ClickHouseOutageIT {
  private static final String NS = "team-outage";
  private static DevServices services;
  private static TestingLogpipe env;

  @BeforeAll
  static void start() throws Exception {
    assumeFalse(
        ClickHouseDevService.externalConfigured(), "kills ClickHouse: needs the local dev server");
    // Own services: this test kills ClickHouse, which must not disturb the shared one.
    services =
        DevServices.start(
            Files.createTempDirectory("outage-it"),
            Set.of(DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS));
    // On the mock: a ClickHouse outage involves no cluster-owned behaviour (OperatorRestartIT
    // holds ClickHouse back on the real server).
    env = new TestingLogpipe();
    env.namespace(NS, true);
    env.defaultBackend(services);
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
      services.close();
    }
  }

  @Test
  void unreachableClickHouseIsReportedAndRecoveredFromWithoutHelp() {
    env.pipeline(NS, "fragile", s -> {});
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              env.children().markTopicsReady(STRIMZI_NS);
              env.children().markDeploymentsAvailable(NS);
              assertThat(isTrue(env.get(NS, "fragile"), "Ready")).isTrue();
            });

    services.clickhouse().kill();
    // A spec change makes the operator touch ClickHouse at once instead of at the next resync.
    env.edit(NS, "fragile", s -> s.getStorage().setRetentionDays(7));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var storage = condition(env.get(NS, "fragile"), "StorageReady");
              assertThat(storage.getStatus()).isEqualTo("False");
              assertThat(storage.getReason()).isEqualTo("ClickHouseUnreachable");
              assertThat(storage.getMessage())
                  .startsWith("Cannot reach ClickHouse at " + services.clickHouseUrl() + ": ")
                  .endsWith("the operator retries at least every 30 s")
                  .doesNotContain("\n", "Exception");
              assertThat(condition(env.get(NS, "fragile"), "Ready").getReason())
                  .isEqualTo("ClickHouseUnreachable");
            });
    // Everything that does not need ClickHouse was still reconciled.
    assertThat(isTrue(env.get(NS, "fragile"), "TopicReady")).isTrue();

    services.clickhouse().start();

    await()
        .atMost(Duration.ofSeconds(45))
        .untilAsserted(
            () -> {
              // retentionDays is in the worker's config now: the edit rolled the workers, and the
              // mock has no Deployment controller to report the rollout done.
              env.children().markDeploymentsAvailable(NS);
              var p = env.get(NS, "fragile");
              assertThat(isTrue(p, "StorageReady")).isTrue();
              assertThat(isTrue(p, "Ready")).isTrue();
              assertThat(condition(p, "StorageReady").getMessage()).contains("7 days");
            });
  }
}
