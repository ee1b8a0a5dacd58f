package dev.logpipe.worker.detect;

import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.model.Level;
import dev.logpipe.worker.model.LogEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Marks ERROR/FATAL events that arrive in a burst well above their service's own baseline.
 *
 * <p>Maths: error counts per service in tumbling windows (by event time) feed an exponentially
 * weighted mean m and variance v: d = x - m; m += a*d; v = (1-a)*(v + a*d*d) (West, 1979). An error
 * event is marked while its window's running count exceeds max(minErrors, m + sigma*sqrt v).
 *
 * <p>Not thread-safe: one per consumer thread. Memory is bounded by {@code maxServices} (least
 * recently seen services are forgotten). Each worker sees only its partitions, so baselines are per
 * worker; after a restart nothing is marked until {@link #WARMUP_WINDOWS} windows have passed,
 * which keeps restarts from reporting false bursts.
 */
public final class BurstDetector {

  public static final String REASON = "error-burst";
  static final int WARMUP_WINDOWS = 3;

  /** Empty windows beyond this barely change the EWMA; stop iterating. */
  private static final int MAX_GAP_UPDATES = 64;

  /** An event this many windows in the past means the clock jumped: start the service afresh. */
  private static final int RESET_WINDOWS = 60;

  private final long windowMs;
  private final double alpha;
  private final double sigma;
  private final int minErrors;
  private final int score;
  private final Map<String, ServiceWindow> services;

  /** Per-service state: about 64 bytes plus the map entry. */
  private static final class ServiceWindow {
    long window;
    int count;
    int history;
    double mean;
    double variance;
    double threshold;

    ServiceWindow(long window, int minErrors) {
      this.window = window;
      this.threshold = minErrors;
    }
  }

  public BurstDetector(PipelineConfig.Burst burst, int maxServices) {
    if (burst.windowSeconds() < 1 || !(burst.alpha() > 0 && burst.alpha() <= 1)) {
      throw new IllegalArgumentException("anomalies.burst: invalid windowSeconds or alpha");
    }
    this.windowMs = burst.windowSeconds() * 1000L;
    this.alpha = burst.alpha();
    this.sigma = burst.sigma();
    this.minErrors = Math.max(1, burst.minErrors());
    this.score = burst.score();
    this.services =
        new LinkedHashMap<>(256, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, ServiceWindow> eldest) {
            return size() > maxServices;
          }
        };
  }

  /** Counts {@code event} if it is an error and marks it when its window is a burst. */
  public boolean observe(LogEvent event) {
    if (!Level.isError(event.level())) {
      return false;
    }
    long w = Math.floorDiv(event.timestampMs(), windowMs);
    ServiceWindow s = services.get(event.service());
    if (s == null || w < s.window - RESET_WINDOWS) {
      s = new ServiceWindow(w, minErrors);
      services.put(event.service(), s);
    } else if (w < s.window) {
      return false; // a late event for a window already closed
    } else if (w > s.window) {
      roll(s, w);
    }
    s.count++;
    if (s.history >= WARMUP_WINDOWS && s.count > s.threshold) {
      event.addAnomaly(REASON, score);
      return true;
    }
    return false;
  }

  /** Closes the current window (and any empty ones after it) into the baseline. */
  private void roll(ServiceWindow s, long next) {
    long gap = next - s.window;
    update(s, s.count);
    for (long k = 1; k < Math.min(gap, MAX_GAP_UPDATES); k++) {
      update(s, 0);
    }
    s.history = (int) Math.min(Integer.MAX_VALUE, s.history + gap);
    s.window = next;
    s.count = 0;
    s.threshold = Math.max(minErrors, s.mean + sigma * Math.sqrt(s.variance));
  }

  private void update(ServiceWindow s, double x) {
    double d = x - s.mean;
    s.mean += alpha * d;
    s.variance = (1 - alpha) * (s.variance + alpha * d * d);
  }

  /** Services currently tracked (bounded by the constructor's maxServices). */
  public int trackedServices() {
    return services.size();
  }
}
