package dev.logpipe.operator.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EndOffsetHistoryTest {
  @Test
  void nothingWaitingIsZero() {
    EndOffsetHistory h = new EndOffsetHistory();
    assertThat(h.ageMillis(0, 1_000)).isZero();
    h.add(0, 100);
    assertThat(h.ageMillis(100, 10_000)).isZero();
  }

  @Test
  void steadyRateIsInterpolatedExactly() {
    EndOffsetHistory h = new EndOffsetHistory();
    // 100 records/s: end offset 1000 at 10 s, 2000 at 20 s, 3000 at 30 s.
    h.add(10_000, 1_000);
    h.add(20_000, 2_000);
    h.add(30_000, 3_000);
    // Record 1499 was produced at 15 s (offset 1500 is the 500th after 1000).
    assertThat(h.ageMillis(1_499, 30_000)).isEqualTo(15_000);
    // A consumer 1 s behind at a steady rate shows about 1 s, not a whole sampling period.
    assertThat(h.ageMillis(2_899, 30_000)).isEqualTo(1_000);
  }

  @Test
  void anIdleRunKeepsItsLastTimeSoABurstAfterItIsDatedFromThen() {
    EndOffsetHistory h = new EndOffsetHistory();
    h.add(0, 500);
    for (int t = 10; t <= 100; t += 10) {
      h.add(t * 1_000L, 500);
    }
    h.add(110_000, 10_500);
    assertThat(h.size()).isEqualTo(2);
    // Record 500 appeared between 100 s and 110 s: 1/10000 of the way, so about 100 s.
    assertThat(h.ageMillis(500, 120_000)).isBetween(19_900L, 20_000L);
  }

  @Test
  void olderThanTheHistoryIsExtrapolatedFromTheProduceRate() {
    EndOffsetHistory h = new EndOffsetHistory();
    h.add(100_000, 10_000);
    h.add(110_000, 11_000);
    // 100 records/s: record 9000 is 1000 records (10 s) before the first point.
    assertThat(h.ageMillis(9_000, 110_000)).isEqualTo(20_000);
  }

  @Test
  void withNothingProducedSinceFirstSeenTheAgeIsALowerBoundThatGrows() {
    EndOffsetHistory h = new EndOffsetHistory();
    h.add(0, 300_000);
    h.add(10_000, 300_000);
    h.add(20_000, 300_000);
    assertThat(h.ageMillis(0, 20_000)).isEqualTo(20_000);
    assertThat(h.ageMillis(0, 50_000)).isEqualTo(50_000);
  }

  @Test
  void aTruncatedOrRecreatedTopicStartsAFreshHistory() {
    EndOffsetHistory h = new EndOffsetHistory();
    h.add(0, 1_000);
    h.add(10_000, 2_000);
    h.add(20_000, 50);
    assertThat(h.size()).isEqualTo(1);
    // Dated from when the new log was first seen, not from the old log's points.
    assertThat(h.ageMillis(0, 30_000)).isEqualTo(10_000);
  }

  @Test
  void capacityIsBoundedAndTheOldestPointsGo() {
    EndOffsetHistory h = new EndOffsetHistory();
    for (int i = 0; i < EndOffsetHistory.CAPACITY * 3; i++) {
      h.add(i * 1_000L, i * 10L);
    }
    assertThat(h.size()).isEqualTo(EndOffsetHistory.CAPACITY);
    long last = (EndOffsetHistory.CAPACITY * 3 - 1) * 1_000L;
    // Offset 0 is from t=0, long evicted: extrapolated at 10 records/s, it is still ~last old.
    assertThat(h.ageMillis(0, last)).isBetween(last - 1_000, last + 1_000);
  }
}
