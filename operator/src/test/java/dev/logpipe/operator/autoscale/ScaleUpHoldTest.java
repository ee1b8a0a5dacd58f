package dev.logpipe.operator.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScaleUpHoldTest {
  private static Deployment workers(Integer running, Integer ready) {
    return new DeploymentBuilder()
        .withNewStatus()
        .withReplicas(running)
        .withReadyReplicas(ready)
        .endStatus()
        .build();
  }

  @Test
  void storageDownHoldsFirst() {
    assertThat(ScaleUpHold.of(false, workers(1, 1))).isEqualTo(ScaleUpHold.STORAGE_UNAVAILABLE);
  }

  @Test
  void runningWorkersNoneReadyHold() {
    // What a ClickHouse outage looks like seconds after it began, before StorageReady follows.
    assertThat(ScaleUpHold.of(true, workers(1, null))).startsWith("no worker is ready (0 of 1");
    assertThat(ScaleUpHold.of(true, workers(3, 0))).startsWith("no worker is ready (0 of 3");
  }

  @Test
  void oneReadyWorkerOrNoCountedPodsHoldNothing() {
    assertThat(ScaleUpHold.of(true, workers(6, 1))).isNull();
    assertThat(ScaleUpHold.of(true, workers(0, null))).as("scaled to 0 (storage gate)").isNull();
    assertThat(ScaleUpHold.of(true, new Deployment())).as("no status yet").isNull();
    assertThat(ScaleUpHold.of(true, null)).as("no Deployment yet").isNull();
  }

  @Test
  void theDecisionSaysWhyItHolds() {
    ScalePolicy policy =
        new ScalePolicy(
            1, 6, null, 10_000L, java.time.Duration.ZERO, java.time.Duration.ofSeconds(300));
    String hold = ScaleUpHold.of(true, workers(1, 0));
    ScaleDecision.Result r =
        ScaleDecision.decide(
            new LagSample(Instant.parse("2026-01-01T00:00:00Z"), 300_000, 60),
            1,
            policy,
            List.of(),
            hold);
    assertThat(r.desired()).isEqualTo(1);
    assertThat(r.outcome()).isEqualTo(ScaleDecision.Outcome.HELD_SINK_UNAVAILABLE);
    assertThat(r.reason()).contains("asks for 6 workers, but no worker is ready", "kept at 1");
    ScaleDecision.Result go =
        ScaleDecision.decide(
            new LagSample(Instant.parse("2026-01-01T00:00:10Z"), 300_000, 70),
            1,
            policy,
            r.history(),
            ScaleUpHold.of(true, workers(1, 1)));
    assertThat(go.desired()).isEqualTo(6);
  }
}
