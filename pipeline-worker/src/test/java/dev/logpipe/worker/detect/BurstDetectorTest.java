package dev.logpipe.worker.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.worker.config.PipelineConfig.Burst;
import dev.logpipe.worker.model.LogEvent;
import org.junit.jupiter.api.Test;

class BurstDetectorTest {

  /** 10 s windows, alpha 0.3, 4 sigma, at least 20 errors, score 40 (the loader's defaults). */
  private static final Burst BURST = new Burst(true, 10, 0.3, 4.0, 20, 40);

  private static final long T0 = 1_743_156_000_000L;

  private static LogEvent error(String service, long ts) {
    return new LogEvent().service(service).level("ERROR").timestampMs(ts);
  }

  /** Sends {@code n} errors spread over window {@code w}; returns how many were marked. */
  private static int window(BurstDetector d, String service, int w, int n) {
    int marked = 0;
    for (int i = 0; i < n; i++) {
      LogEvent e = error(service, T0 + w * 10_000L + (i * 10_000L / Math.max(1, n)));
      if (d.observe(e)) {
        marked++;
        assertThat(e.anomalyReasons()).containsExactly(BurstDetector.REASON);
        assertThat(e.anomalyScore()).isEqualTo(40);
      }
    }
    return marked;
  }

  @Test
  void baselineThenBurstMarksTheEventsAboveTheThreshold() {
    BurstDetector d = new BurstDetector(BURST, 100);
    int baselineMarks = 0;
    for (int w = 0; w < 30; w++) {
      baselineMarks += window(d, "api", w, 5 + (w % 3)); // 5-7 errors per window
    }
    assertThat(baselineMarks).isZero();
    int burstMarks = window(d, "api", 30, 200);
    // Threshold is max(20, ~6 + 4 * ~0.8) = 20: the first 20 errors are the baseline's due.
    assertThat(burstMarks).isEqualTo(180);
    assertThat(window(d, "api", 31, 6)).as("back to normal").isZero();
  }

  @Test
  void quietServiceIsNotMarkedWhileANeighbourBursts() {
    BurstDetector d = new BurstDetector(BURST, 100);
    for (int w = 0; w < 10; w++) {
      window(d, "api", w, 5);
      window(d, "quiet", w, 2);
    }
    assertThat(window(d, "api", 10, 100)).isPositive();
    assertThat(window(d, "quiet", 10, 3)).isZero();
  }

  @Test
  void noisyServiceNeedsMoreThanItsUsualNoise() {
    BurstDetector d = new BurstDetector(BURST, 100);
    for (int w = 0; w < 40; w++) {
      window(d, "noisy", w, w % 2 == 0 ? 100 : 140); // large, variable baseline
    }
    assertThat(window(d, "noisy", 40, 150)).as("within 4 sigma").isZero();
    assertThat(window(d, "noisy", 41, 600)).isPositive();
  }

  @Test
  void nothingIsMarkedBeforeWarmUpSoRestartsDoNotCryWolf() {
    BurstDetector d = new BurstDetector(BURST, 100);
    assertThat(window(d, "api", 0, 500)).isZero();
    assertThat(window(d, "api", 1, 500)).isZero();
  }

  @Test
  void nonErrorEventsAreIgnored() {
    BurstDetector d = new BurstDetector(BURST, 100);
    LogEvent info = new LogEvent().service("api").level("INFO").timestampMs(T0);
    assertThat(d.observe(info)).isFalse();
    assertThat(d.trackedServices()).isZero();
  }

  @Test
  void memoryIsBoundedByEvictingLeastRecentlySeenServices() {
    BurstDetector d = new BurstDetector(BURST, 1000);
    for (int i = 0; i < 50_000; i++) {
      d.observe(error("svc-" + i, T0));
    }
    assertThat(d.trackedServices()).isEqualTo(1000);
  }
}
