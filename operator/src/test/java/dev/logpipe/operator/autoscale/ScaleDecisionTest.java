package dev.logpipe.operator.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.autoscale.ScaleDecision.Outcome;
import dev.logpipe.operator.autoscale.ScaleDecision.Recommendation;
import dev.logpipe.operator.autoscale.ScaleDecision.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScaleDecisionTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration PERIOD = Duration.ofSeconds(10);

  private static ScalePolicy records(int min, int max, long perReplica, int upS, int downS) {
    return new ScalePolicy(
        min, max, null, perReplica, Duration.ofSeconds(upS), Duration.ofSeconds(downS));
  }

  private static ScalePolicy seconds(int min, int max, int target, int upS, int downS) {
    return new ScalePolicy(
        min, max, target, null, Duration.ofSeconds(upS), Duration.ofSeconds(downS));
  }

  /** Feeds samples one period apart from T0, as the sampler would; returns every result. */
  private static List<Result> run(ScalePolicy policy, int start, long[][] lags, boolean sink) {
    List<Result> out = new ArrayList<>();
    List<Recommendation> history = List.of();
    int current = start;
    for (int i = 0; i < lags.length; i++) {
      LagSample s = new LagSample(T0.plus(PERIOD.multipliedBy(i)), lags[i][0], lags[i][1]);
      Result r = ScaleDecision.decide(s, current, policy, history, sink);
      out.add(r);
      history = r.history();
      current = r.desired();
    }
    return out;
  }

  private static long[][] repeat(long records, long seconds, int times) {
    long[][] out = new long[times][];
    for (int i = 0; i < times; i++) {
      out[i] = new long[] {records, seconds};
    }
    return out;
  }

  private static int changes(List<Result> results, int start) {
    int n = 0;
    int prev = start;
    for (Result r : results) {
      if (r.desired() != prev) {
        n++;
      }
      prev = r.desired();
    }
    return n;
  }

  @Test
  void steadyLagWithinTargetKeepsTheReplicas() {
    List<Result> results = run(records(1, 6, 10_000, 0, 300), 2, repeat(15_000, 2, 60), true);
    assertThat(results).allSatisfy(r -> assertThat(r.desired()).isEqualTo(2));
    assertThat(results.get(0).outcome()).isEqualTo(Outcome.STEADY);
    assertThat(results.get(0).reason()).contains("15000 records", "2 workers fit the target");
  }

  @Test
  void aBurstScalesUpAtTheFirstSampleInOneStepCappedAtMax() {
    List<Result> results = run(records(1, 6, 10_000, 0, 300), 1, repeat(300_000, 40, 3), true);
    assertThat(results.get(0).desired()).isEqualTo(6);
    assertThat(results.get(0).recommended()).isEqualTo(6);
    assertThat(results.get(0).outcome()).isEqualTo(Outcome.SCALE_UP);
    assertThat(results.get(0).reason()).contains("scaled up from 1 to 6");
    assertThat(changes(results, 1)).isEqualTo(1);
  }

  @Test
  void scaleDownWaitsForTheWholeWindowThenGoesToTheLargestRecommendationInIt() {
    long[][] lags = new long[40][];
    for (int i = 0; i < 40; i++) {
      lags[i] = i < 2 ? new long[] {60_000, 30} : new long[] {0, 0};
    }
    // 60 s window, 10 s period: the high recommendation at t=10 s leaves the window at t=80 s.
    List<Result> results = run(records(1, 6, 10_000, 0, 60), 1, lags, true);
    assertThat(results.get(0).desired()).isEqualTo(6);
    for (int i = 2; i <= 7; i++) {
      assertThat(results.get(i).desired()).as("t=%d s", i * 10).isEqualTo(6);
      assertThat(results.get(i).reason()).contains("kept within the stabilisation window");
    }
    assertThat(results.get(8).desired()).isEqualTo(1);
    assertThat(results.get(8).outcome()).isEqualTo(Outcome.SCALE_DOWN);
    assertThat(results.get(8).reason()).contains("largest recommendation of the last 60 s");
    assertThat(changes(results, 1)).isEqualTo(2);
  }

  @Test
  void scaleDownInStepsFollowsTheMaximumOfTheWindow() {
    // Lag drains 60k -> 30k -> 10k -> 0 over time; with a 20 s window each step waits 20 s.
    long[][] lags = {
      {60_000, 0},
      {30_000, 0},
      {30_000, 0},
      {30_000, 0},
      {10_000, 0},
      {10_000, 0},
      {10_000, 0},
      {0, 0}
    };
    List<Result> results = run(records(1, 6, 10_000, 0, 20), 6, lags, true);
    assertThat(results.stream().map(Result::desired)).containsExactly(6, 6, 6, 3, 3, 3, 1, 1);
  }

  @Test
  void flappingLagNeverScalesDownWithinTheWindowAndScalesUpOnce() {
    long[][] lags = new long[60][];
    for (int i = 0; i < 60; i++) {
      lags[i] = i % 2 == 0 ? new long[] {50_000, 20} : new long[] {0, 0};
    }
    List<Result> results = run(records(1, 6, 10_000, 0, 300), 1, lags, true);
    assertThat(results).allSatisfy(r -> assertThat(r.desired()).isEqualTo(5));
    assertThat(changes(results, 1)).isEqualTo(1);
  }

  @Test
  void aScaleUpWindowIgnoresASingleSpike() {
    long[][] lags = {{0, 0}, {90_000, 0}, {0, 0}, {0, 0}, {80_000, 0}, {80_000, 0}, {80_000, 0}};
    List<Result> results = run(records(1, 8, 10_000, 20, 300), 1, lags, true);
    // The spike at 10 s is alone; the rise from 40 s is held for the 20 s window, then taken.
    assertThat(results.stream().map(Result::desired)).containsExactly(1, 1, 1, 1, 1, 1, 8);
  }

  @Test
  void lagSecondsScaleInProportionWithATolerance() {
    ScalePolicy p = seconds(1, 10, 30, 0, 0);
    assertThat(ScaleDecision.recommend(new LagSample(T0, 0, 120), 2, p)).isEqualTo(8);
    assertThat(ScaleDecision.recommend(new LagSample(T0, 0, 32), 4, p)).isEqualTo(4);
    assertThat(ScaleDecision.recommend(new LagSample(T0, 0, 28), 4, p)).isEqualTo(4);
    assertThat(ScaleDecision.recommend(new LagSample(T0, 0, 15), 4, p)).isEqualTo(2);
    assertThat(ScaleDecision.recommend(new LagSample(T0, 0, 0), 4, p)).isEqualTo(0);
    // From zero replicas (paused), the ratio still has a base of one.
    assertThat(ScaleDecision.recommend(new LagSample(T0, 0, 90), 0, p)).isEqualTo(3);
  }

  @Test
  void anAgeUnderTheTargetWithinOnePeriodAsksForNothing() {
    ScalePolicy p = seconds(1, 6, 10, 0, 30);
    assertThat(ScaleDecision.recommend(new LagSample(T0, 0, 5), 6, p)).isZero();
    assertThat(ScaleDecision.recommend(new LagSample(T0, 0, 9), 6, p)).as("tolerance").isEqualTo(6);
    assertThat(ScaleDecision.recommend(new LagSample(T0, 0, 13), 6, p)).isEqualTo(8);
    ScalePolicy longer = seconds(1, 10, 30, 0, 0);
    assertThat(ScaleDecision.recommend(new LagSample(T0, 0, 8), 4, longer)).isZero();
  }

  @Test
  void afterABurstTheScaleDownIsOneStepDespiteLatencyNoise() {
    // SandboxAutoscalingIT's measurements after a burst: the drain, then a steady 500/s whose lag
    // age (1-5 s) is latency. It used to go 6 -> 5 -> 3 -> 1.
    ScalePolicy p = new ScalePolicy(1, 6, 10, 50_000L, Duration.ZERO, Duration.ofSeconds(30));
    long[][] lags = {
      {418_640, 5}, {103_805, 13}, {1_350, 2}, {2_118, 5}, {766, 2}, {550, 1}, {600, 3}, {500, 1}
    };
    List<Result> results = run(p, 1, lags, true);
    assertThat(results.stream().map(Result::desired)).containsExactly(6, 6, 6, 6, 6, 1, 1, 1);
  }

  @Test
  void withBothTargetsTheLargerAnswerWins() {
    ScalePolicy p = new ScalePolicy(1, 10, 30, 10_000L, Duration.ZERO, Duration.ofSeconds(300));
    assertThat(ScaleDecision.recommend(new LagSample(T0, 50_000, 30), 2, p)).isEqualTo(5);
    assertThat(ScaleDecision.recommend(new LagSample(T0, 5_000, 120), 2, p)).isEqualTo(8);
  }

  @Test
  void desiredIsClampedToMinAndMaxEvenAgainstTheWindows() {
    ScalePolicy p = records(2, 4, 10_000, 300, 300);
    Result below = ScaleDecision.decide(new LagSample(T0, 0, 0), 1, p, List.of(), true);
    assertThat(below.desired()).isEqualTo(2);
    Result above = ScaleDecision.decide(new LagSample(T0, 1_000_000, 0), 9, p, List.of(), true);
    assertThat(above.desired()).isEqualTo(4);
    Result huge =
        ScaleDecision.decide(new LagSample(T0, Long.MAX_VALUE / 2, 0), 2, p, List.of(), true);
    assertThat(huge.recommended()).isEqualTo(4);
  }

  @Test
  void aSeededHistoryHoldsScaleDownForTheWindowAfterARestart() {
    // The autoscaler seeds its history with the replicas it found, so a restart does not skip
    // the scale-down window.
    ScalePolicy p = records(1, 6, 10_000, 0, 60);
    List<Recommendation> seeded = List.of(new Recommendation(T0, 6));
    Result early =
        ScaleDecision.decide(new LagSample(T0.plusSeconds(50), 0, 0), 6, p, seeded, true);
    assertThat(early.desired()).isEqualTo(6);
    Result late =
        ScaleDecision.decide(new LagSample(T0.plusSeconds(61), 0, 0), 6, p, early.history(), true);
    assertThat(late.desired()).isEqualTo(1);
  }

  @Test
  void noScaleUpWhileTheSinkIsUnavailableAndTheStatusSaysSo() {
    List<Result> results = run(records(1, 6, 10_000, 0, 300), 1, repeat(300_000, 60, 5), false);
    assertThat(results).allSatisfy(r -> assertThat(r.desired()).isEqualTo(1));
    assertThat(results.get(0).outcome()).isEqualTo(Outcome.HELD_SINK_UNAVAILABLE);
    assertThat(results.get(0).reason())
        .contains("asks for 6 workers", "storage is unavailable", "kept at 1");
  }

  @Test
  void whenTheSinkComesBackTheHeldScaleUpHappensAtOnce() {
    ScalePolicy p = records(1, 6, 10_000, 0, 300);
    Result held = ScaleDecision.decide(new LagSample(T0, 300_000, 60), 1, p, List.of(), false);
    Result after =
        ScaleDecision.decide(
            new LagSample(T0.plus(PERIOD), 300_000, 70), 1, p, held.history(), true);
    assertThat(after.desired()).isEqualTo(6);
  }

  @Test
  void historyKeepsOnlyWhatTheLongestWindowNeeds() {
    List<Result> results = run(records(1, 6, 10_000, 0, 30), 1, repeat(0, 0, 20), true);
    // 30 s window at a 10 s period: the samples at -30, -20, -10 s and now.
    assertThat(results.get(19).history()).hasSize(4);
  }
}
