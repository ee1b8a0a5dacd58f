package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.condition;
import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.testing.TestingLogpipe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.HashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rejected means stopped: when a running pipeline's namespace loses the allowed label, or its
 * backend is deleted, its worker and gateway are scaled to 0 and status says so; accepted again,
 * they return to the spec's replicas.
 */
@WithDevServices({DevServices.Kind.CLICKHOUSE})
class RejectedPipelineIT {
  private static final String NS = "team-stop";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static TestingLogpipe env;

  @BeforeAll
  static void start(DevServices services) {
    env = new TestingLogpipe();
    env.namespace(NS, true);
    env.clickHouseSecret(services);
    env.backend("default", services.clickHouseUrl(), "clickhouse-admin", null);
  }

  @AfterAll
  static void stop() {
    env.close();
  }

  @Test
  void losingTheNamespaceLabelOrTheBackendStopsThePodsAndAcceptanceBringsThemBack() {
    env.pipeline(
        NS,
        "halted",
        s -> {
          s.getWorkers().setReplicas(2);
          s.getGateway().setEnabled(true);
        });
    awaitRunning();

    labelNamespace(false);
    awaitStopped("NamespaceNotAllowed");

    labelNamespace(true);
    awaitRunning();

    ClusterLogBackend backend =
        env.client().resources(ClusterLogBackend.class).withName("default").get();
    env.client().resource(backend).delete();
    awaitStopped("BackendNotFound");

    backend.getMetadata().setResourceVersion(null);
    backend.getMetadata().setUid(null);
    backend.setStatus(null);
    env.client().resource(backend).create();
    awaitRunning();
  }

  private static void awaitRunning() {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              env.children().markTopicsReady(STRIMZI_NS);
              env.children().markDeploymentsAvailable(NS);
              assertThat(deployment("halted-worker").getSpec().getReplicas()).isEqualTo(2);
              assertThat(deployment("halted-gateway").getSpec().getReplicas()).isEqualTo(1);
              assertThat(isTrue(env.get(NS, "halted"), "Ready")).isTrue();
            });
  }

  private static void awaitStopped(String reason) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              LogPipeline p = env.get(NS, "halted");
              assertThat(condition(p, "Accepted").getReason()).isEqualTo(reason);
              assertThat(deployment("halted-worker").getSpec().getReplicas()).isZero();
              assertThat(deployment("halted-gateway").getSpec().getReplicas()).isZero();
              assertThat(condition(p, "WorkersAvailable").getReason()).isEqualTo("Stopped");
              assertThat(condition(p, "WorkersAvailable").getMessage())
                  .startsWith("Workers scaled to 0 while the pipeline is not accepted");
              assertThat(condition(p, "GatewayAvailable").getReason()).isEqualTo("Stopped");
              assertThat(p.getStatus().getWorkers().getDesired()).isZero();
            });
  }

  private static void labelNamespace(boolean allowed) {
    env.client()
        .namespaces()
        .withName(NS)
        .edit(
            n -> {
              var labels = new HashMap<>(n.getMetadata().getLabels());
              if (allowed) {
                labels.putAll(TestingLogpipe.ALLOWED);
              } else {
                TestingLogpipe.ALLOWED.keySet().forEach(labels::remove);
              }
              n.getMetadata().setLabels(labels);
              return n;
            });
  }

  private static Deployment deployment(String name) {
    return env.client().apps().deployments().inNamespace(NS).withName(name).get();
  }
}
