package dev.logpipe.operator.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * Adversarial review (breaker4) of the sandbox's in-process operator restart after a lost Lease
 * (Sandbox.restartOperator): it closes the LogpipeOperator and builds a new one on the SAME meter
 * registry. LogpipeOperator.close() closes its Autoscaler, which leaves its gauges registered;
 * Micrometer hands the new autoscaler's registration the existing gauge, still reading the closed
 * autoscaler's state. This test does what the restart does, at the autoscaler (no I/O: no
 * measurement is made, the starting size comes from the Deployment's replicas).
 */
class AutoscalerRestartMetricsTest {
  private static final ScalePolicy POLICY =
      new ScalePolicy(1, 6, null, 1_000L, Duration.ZERO, Duration.ofSeconds(60));

  @org.junit.jupiter.api.Test
  void gaugesFollowTheOperatorStartedAfterALostLease() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ResourceID id = new ResourceID("p", "ns");

    Autoscaler lost = new Autoscaler(null, new AutoscalerMetrics(registry), Clock.systemUTC());
    lost.track(id, target(1), true);
    lost.close(); // what LogpipeOperator.close() does to its autoscaler

    // The new operator finds the worker Deployment at 3 replicas (scaled meanwhile).
    Autoscaler restarted = new Autoscaler(null, new AutoscalerMetrics(registry), Clock.systemUTC());
    restarted.track(id, target(3), true);
    assertThat(restarted.view(id).orElseThrow().desired()).isEqualTo(3);

    double gauge =
        registry
            .get("logpipe.pipeline.desired.replicas")
            .tags("namespace", "ns", "pipeline", "p")
            .gauge()
            .value();
    restarted.close();
    assertThat(gauge)
        .as("logpipe.pipeline.desired.replicas after the restart (the live autoscaler says 3)")
        .isEqualTo(3.0);
  }

  private static AutoscaleTarget target(int deploymentReplicas) {
    return new AutoscaleTarget(
        "ns", "p", "127.0.0.1:9", "t", "g", "worker-p", POLICY, deploymentReplicas, null);
  }
}
