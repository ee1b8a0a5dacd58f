package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.condition;
import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.clickhouse.ClickHouseDevService;
import dev.logpipe.operator.api.v1alpha1.DeletionPolicy;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.testing.TestingClickHouse;
import dev.logpipe.operator.testing.TestingLogpipe;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Adversarial review on a real control plane: names at their length limits, a pipeline deleted and
 * recreated under the same name while its old children are still terminating, and a namespace
 * deleted while ClickHouse is down (status must say why the namespace does not go away, and it must
 * go once ClickHouse is back).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BreakerRealServerIT {
  private static final String HOLD = "breaker.logpipe.dev/hold";
  private static DevServices services;
  private static TestingLogpipe env;

  @BeforeAll
  static void start() throws Exception {
    assumeFalse(
        ClickHouseDevService.externalConfigured(), "kills ClickHouse: needs the local dev server");
    services =
        DevServices.start(
            Files.createTempDirectory("breaker-real-it"),
            Set.of(DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS));
    env = TestingLogpipe.onRealServer();
    env.defaultBackend(services);
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
    if (services != null) {
      services.close();
    }
  }

  /**
   * A 63-character namespace and a 63-character pipeline name (each the DNS-label maximum) with
   * every child enabled: every derived name must be legal for its kind, so the real API server
   * accepts all of them and the pipeline becomes Ready.
   */
  @Test
  @Order(1)
  void theLongestNamesBuildEveryChild() {
    String ns = "ns-" + "n".repeat(56) + "-end";
    String name = "p" + "x".repeat(61) + "z";
    assertThat(ns).hasSize(63);
    assertThat(name).hasSize(63);
    env.namespace(ns, true);
    env.pipeline(
        ns,
        name,
        s -> {
          s.getGateway().setEnabled(true);
          s.setDeletionPolicy(DeletionPolicy.Delete);
        });
    awaitReady(ns, name);
    var c = env.client();
    assertThat(c.apps().deployments().inNamespace(ns).list().getItems()).hasSize(2);
    assertThat(c.services().inNamespace(ns).list().getItems()).hasSize(1);
    assertThat(c.configMaps().inNamespace(ns).list().getItems())
        .anyMatch(m -> m.getMetadata().getName().startsWith(name.substring(0, 40)));
    LogPipeline p = env.get(ns, name);
    assertThat(p.getStatus().getObservedGeneration()).isEqualTo(p.getMetadata().getGeneration());
  }

  @Test
  @Order(3)
  void aNamespaceDeletedWhileClickHouseIsDownSaysWhyAndFinishesWhenItReturns() {
    String ns = "team-doomed-ch";
    env.namespace(ns, true);
    env.pipeline(
        ns,
        "doomed",
        s -> {
          s.setDeletionPolicy(DeletionPolicy.Delete);
          s.getGateway().setEnabled(true);
        });
    awaitReady(ns, "doomed");

    services.clickhouse().kill();
    env.client().namespaces().withName(ns).delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              LogPipeline p = env.get(ns, "doomed");
              assertThat(p.getMetadata().getDeletionTimestamp()).isNotNull();
              Condition ready = condition(p, "Ready");
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("DeletionBlocked");
              assertThat(ready.getMessage())
                  .contains("dropping table", "ClickHouse")
                  .doesNotContain("Exception", "\n");
            });
    Namespace terminating = env.client().namespaces().withName(ns).get();
    assertThat(terminating.getStatus().getPhase()).isEqualTo("Terminating");

    services.clickhouse().start();
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> env.client().namespaces().withName(ns).get() == null);
    try (TestingClickHouse clickHouse = TestingClickHouse.of(services)) {
      assertThat(clickHouse.tables("logs_team_doomed_ch")).doesNotContainKey("doomed");
    }
  }

  private static void awaitReady(String ns, String name) {
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              env.children().markTopicsReady(STRIMZI_NS);
              env.children().markDeploymentsAvailable(ns);
              assertThat(isTrue(env.get(ns, name), "Ready")).isTrue();
            });
  }

  private static List<String> owners(HasMetadata o) {
    return o.getMetadata().getOwnerReferences().stream().map(OwnerReference::getUid).toList();
  }

  private static Deployment addFinalizer(Deployment d, String finalizer) {
    d.getMetadata().getFinalizers().add(finalizer);
    return d;
  }

  private static Deployment removeFinalizer(Deployment d, String finalizer) {
    d.getMetadata().getFinalizers().remove(finalizer);
    return d;
  }
}
