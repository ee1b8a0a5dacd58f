package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.condition;
import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.clickhouse.ClickHouseDevService;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.DeletionPolicy;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.testing.TestingClickHouse;
import dev.logpipe.operator.testing.TestingLogpipe;
import io.fabric8.kubernetes.api.model.Condition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ClickHouse dies under a running operator with the production resync (60 s): the backend says so
 * within 30 s, and a pipeline deleted meanwhile with policy Delete reports Ready=False with the
 * blocked step and its cause (updated as the cause changes) until the drop succeeds.
 */
class ClickHouseDeathIT {
  private static final String NS = "team-death";
  private static DevServices services;
  private static TestingLogpipe env;

  @BeforeAll
  static void start() throws Exception {
    assumeFalse(
        ClickHouseDevService.externalConfigured(), "kills ClickHouse: needs the local dev server");
    services =
        DevServices.start(
            Files.createTempDirectory("death-it"), Set.of(DevServices.Kind.CLICKHOUSE));
    env = new TestingLogpipe(new SimpleMeterRegistry(), 4, Duration.ofSeconds(60));
    env.namespace(NS, true);
    env.clickHouseSecret(services);
    env.backend("default", services.clickHouseUrl(), "clickhouse-admin", null);
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
      services.close();
    }
  }

  @Test
  void backendFlipsWithin30sAndABlockedDeletionSaysWhyUntilItFinishes() {
    env.pipeline(NS, "doomed", s -> s.setDeletionPolicy(DeletionPolicy.Delete));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              env.children().markTopicsReady(STRIMZI_NS);
              env.children().markDeploymentsAvailable(NS);
              assertThat(isTrue(env.get(NS, "doomed"), "Ready")).isTrue();
              assertThat(clickHouseReachable().getStatus()).isEqualTo("True");
            });

    services.clickhouse().kill();
    long killed = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> assertThat(clickHouseReachable().getReason()).isEqualTo("ClickHouseUnreachable"));
    long flipSeconds = Duration.ofNanos(System.nanoTime() - killed).toSeconds();
    System.out.println("backend flipped " + flipSeconds + " s after ClickHouse died");

    List<String> readyReasons = new CopyOnWriteArrayList<>();
    env.client().resources(LogPipeline.class).inNamespace(NS).withName("doomed").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              LogPipeline p = env.get(NS, "doomed");
              Condition ready = condition(p, "Ready");
              readyReasons.add(ready.getReason());
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("DeletionBlocked");
              assertThat(ready.getMessage())
                  .startsWith(
                      "Deleting: dropping table logs_team_death.doomed failed: Cannot reach"
                          + " ClickHouse at "
                          + services.clickHouseUrl())
                  .doesNotContain("Exception", "\n");
              Condition storage = condition(p, "StorageReady");
              assertThat(storage.getStatus()).isEqualTo("False");
              assertThat(storage.getReason()).isEqualTo("DeletionBlocked");
            });
    // Ready until the operator has seen the deletion (milliseconds), then never again.
    int firstNotReady = 0;
    while (readyReasons.get(firstNotReady).equals("Ready")) {
      firstNotReady++;
    }
    assertThat(readyReasons.subList(firstNotReady, readyReasons.size())).doesNotContain("Ready");

    services.clickhouse().start();
    await().atMost(Duration.ofSeconds(30)).until(() -> env.get(NS, "doomed") == null);
    try (TestingClickHouse clickHouse = TestingClickHouse.of(services)) {
      assertThat(clickHouse.tables("logs_team_death")).doesNotContainKey("doomed");
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(clickHouseReachable().getStatus()).isEqualTo("True"));
  }

  private static Condition clickHouseReachable() {
    ClusterLogBackend b = env.client().resources(ClusterLogBackend.class).withName("default").get();
    return b.getStatus().getConditions().stream()
        .filter(c -> "ClickHouseReachable".equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }
}
