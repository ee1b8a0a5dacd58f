package dev.logpipe.worker.detect;

import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.model.LogEvent;

/**
 * Everything that scores an event: the per-event {@link RuleEngine} then the rate-based {@link
 * BurstDetector}. Not thread-safe (the burst state): one per consumer thread.
 */
public final class AnomalyScorer {

  public static final int MAX_TRACKED_SERVICES = 10_000;

  private final RuleEngine rules;
  private final BurstDetector burst;

  public AnomalyScorer(RuleEngine rules, BurstDetector burst) {
    this.rules = rules;
    this.burst = burst;
  }

  /** Compiles {@code anomalies}; throws IllegalArgumentException naming a bad rule. */
  public static AnomalyScorer fromConfig(PipelineConfig.Anomalies anomalies) {
    PipelineConfig.Burst b = anomalies == null ? null : anomalies.burst();
    return new AnomalyScorer(
        RuleEngine.compile(anomalies),
        b != null && b.enabled() ? new BurstDetector(b, MAX_TRACKED_SERVICES) : null);
  }

  /** Sets the event's anomaly score and reasons. */
  public void score(LogEvent event) {
    rules.apply(event);
    if (burst != null) {
      burst.observe(event);
    }
  }
}
