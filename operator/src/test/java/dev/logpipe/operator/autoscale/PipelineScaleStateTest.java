package dev.logpipe.operator.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.status.ConditionStatus;
import dev.logpipe.operator.status.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineScaleStateTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final ScalePolicy POLICY =
      new ScalePolicy(1, 6, null, 1_000L, Duration.ZERO, Duration.ofSeconds(20));

  private static AutoscaleTarget target(ScalePolicy policy, Integer deploymentReplicas) {
    return new AutoscaleTarget(
        "team-a",
        "p",
        "kafka:9092",
        "logpipe.team-a.p",
        "logpipe.team-a.p",
        "p-worker",
        policy,
        deploymentReplicas,
        "http://clickhouse:8123");
  }

  private static KafkaLagReader.Offsets offsets(long end, long committed) {
    return new KafkaLagReader.Offsets(
        Map.of(0, end, 1, end, 2, end), Map.of(0, committed, 1, committed, 2, committed));
  }

  @Test
  void startsFromTheDeploymentsReplicasClampedAndPending() {
    PipelineScaleState s = new PipelineScaleState(target(POLICY, 9), true, T0);
    assertThat(s.view().desired()).isEqualTo(6);
    assertThat(s.view().condition().reason()).isEqualTo(Reason.Pending);
    assertThat(new PipelineScaleState(target(POLICY, null), true, T0).view().desired())
        .isEqualTo(1);
  }

  @Test
  void aMeasurementSumsPartitionsDecidesAndRecordsTheScale() {
    PipelineScaleState s = new PipelineScaleState(target(POLICY, 1), true, T0);
    assertThat(s.measured(offsets(2_000, 0), T0.plusSeconds(10))).isTrue();
    AutoscaleView v = s.view();
    assertThat(v.lag().lagRecords()).isEqualTo(6_000);
    assertThat(v.desired()).isEqualTo(6);
    assertThat(v.lastScaleTime()).isEqualTo("2026-01-01T00:00:10Z");
    assertThat(v.lastScaleReason()).contains("scaled up from 1 to 6");
    assertThat(v.condition().status()).isEqualTo(ConditionStatus.True);
    assertThat(v.replicasToWrite()).isEqualTo(6);
    // Same lag again: nothing to reconcile.
    assertThat(s.measured(offsets(2_000, 0), T0.plusSeconds(20))).isFalse();
  }

  @Test
  void scaleDownWaitsForTheWindowSeededAtTracking() {
    PipelineScaleState s = new PipelineScaleState(target(POLICY, 6), true, T0);
    assertThat(s.measured(offsets(0, 0), T0.plusSeconds(10))).isTrue(); // condition Pending->True
    assertThat(s.view().desired()).isEqualTo(6);
    s.measured(offsets(0, 0), T0.plusSeconds(21));
    assertThat(s.view().desired()).isEqualTo(1);
  }

  @Test
  void storageDownHoldsAndSaysSo() {
    PipelineScaleState s = new PipelineScaleState(target(POLICY, 1), false, T0);
    s.measured(offsets(2_000, 0), T0.plusSeconds(10));
    assertThat(s.view().desired()).isEqualTo(1);
    assertThat(s.view().condition().reason()).isEqualTo(Reason.ScaleUpHeld);
    s.sinkAvailable(true);
    s.measured(offsets(2_000, 0), T0.plusSeconds(20));
    assertThat(s.view().desired()).isEqualTo(6);
  }

  /**
   * StorageReady still True (the outage began after the last reconcile) but ClickHouse does not
   * answer: the burst is held, and the ping is asked only when a scale-up is on the table.
   */
  @Test
  void aScaleUpIntoClickHouseThatDoesNotAnswerIsHeldBeforeStorageReadyKnows() {
    PipelineScaleState s = new PipelineScaleState(target(POLICY, 1), true, T0);
    java.util.List<String> asked = new java.util.ArrayList<>();
    s.measured(
        offsets(0, 0),
        T0.plusSeconds(10),
        url -> {
          asked.add(url);
          return false;
        });
    assertThat(asked).as("no scale-up, no ping").isEmpty();
    s.measured(
        offsets(2_000, 0),
        T0.plusSeconds(20),
        url -> {
          asked.add(url);
          return false;
        });
    assertThat(asked).containsExactly("http://clickhouse:8123");
    assertThat(s.view().desired()).isEqualTo(1);
    assertThat(s.view().condition().reason()).isEqualTo(Reason.ScaleUpHeld);
    assertThat(s.view().condition().message())
        .contains("asks for 6 workers, but storage is unavailable: kept at 1");
    s.measured(offsets(2_000, 0), T0.plusSeconds(30), url -> true);
    assertThat(s.view().desired()).isEqualTo(6);
  }

  @Test
  void anExternalScalerStopsDecisionsButNotMeasuring() {
    PipelineScaleState s = new PipelineScaleState(target(POLICY, 1), true, T0);
    assertThat(s.externalScaler("HorizontalPodAutoscaler user-hpa")).isTrue();
    assertThat(s.view().replicasToWrite()).isNull();
    assertThat(s.measured(offsets(2_000, 0), T0.plusSeconds(10))).isFalse();
    assertThat(s.view().desired()).isEqualTo(1);
    assertThat(s.view().lag().lagRecords()).isEqualTo(6_000);
    assertThat(s.view().condition().reason()).isEqualTo(Reason.ExternalAutoscaler);
    assertThat(s.view().condition().message())
        .contains("HorizontalPodAutoscaler user-hpa targets Deployment p-worker");
    assertThat(s.externalScaler(null)).isTrue();
    s.measured(offsets(2_000, 0), T0.plusSeconds(20));
    assertThat(s.view().desired()).isEqualTo(6);
  }

  @Test
  void unknownLagKeepsReplicasAndNewBoundsApplyAtOnce() {
    PipelineScaleState s = new PipelineScaleState(target(POLICY, 4), true, T0);
    assertThat(s.unknown("cannot read consumer-group offsets")).isTrue();
    assertThat(s.view().desired()).isEqualTo(4);
    assertThat(s.view().condition().reason()).isEqualTo(Reason.LagUnknown);
    s.retarget(
        target(new ScalePolicy(1, 2, null, 1_000L, Duration.ZERO, Duration.ofSeconds(20)), 4));
    assertThat(s.view().desired()).isEqualTo(2);
  }
}
