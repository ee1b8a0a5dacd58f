package dev.logpipe.operator.autoscale;

import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.api.v1alpha1.AutoscalingSpec;
import dev.logpipe.operator.testing.TestingLogpipe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * workers.autoscaling on a real API server: the CRD's rules (as the server evaluates them) reject
 * replicas together with autoscaling, and an autoscaled pipeline's worker Deployment is created by
 * server-side apply with minReplicas (Kafka is unreachable here, so the lag stays unknown and
 * replicas stay where they started).
 */
@WithDevServices({DevServices.Kind.CLICKHOUSE})
class AutoscalingOnRealServerIT {
  private static final String NS = "team-autoscale";
  private static TestingLogpipe env;

  @BeforeAll
  static void start(DevServices services) {
    env = TestingLogpipe.onRealServer();
    env.namespace(NS, true);
    env.clickHouseSecret(services);
    env.backend("default", services.clickHouseUrl(), "clickhouse-admin", null);
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  private static AutoscalingSpec autoscaling(int min, int max) {
    AutoscalingSpec a = new AutoscalingSpec();
    a.setMinReplicas(min);
    a.setMaxReplicas(max);
    a.setTargetLagSeconds(30);
    return a;
  }

  @Test
  void theServerRejectsReplicasTogetherWithAutoscaling() {
    assertThatThrownBy(
            () ->
                env.pipeline(
                    NS,
                    "both",
                    s -> {
                      s.getWorkers().setReplicas(2);
                      s.getWorkers().setAutoscaling(autoscaling(1, 1));
                    }))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("set either workers.replicas or workers.autoscaling, not both");
  }

  @Test
  void anAutoscaledPipelineStartsItsWorkersAtMinReplicas() {
    env.pipeline(
        NS,
        "scaled",
        s -> {
          s.getTopic().setPartitions(4);
          s.getCache().setEnabled(false);
          s.getWorkers().setAutoscaling(autoscaling(2, 4));
        });
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(isTrue(env.get(NS, "scaled"), "Accepted")).isTrue();
              Deployment d =
                  env.client().apps().deployments().inNamespace(NS).withName("scaled-worker").get();
              assertThat(d).isNotNull();
              assertThat(d.getSpec().getReplicas()).isEqualTo(2);
              assertThat(env.get(NS, "scaled").getStatus().getWorkers().getDesired()).isEqualTo(2);
            });
    // The spec as stored has no replicas: the CRD no longer defaults it.
    assertThat(env.get(NS, "scaled").getSpec().getWorkers().hasFixedReplicas()).isFalse();
  }
}
