package dev.logpipe.operator.autoscale;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Desired worker replicas from a lag sample, the current replicas and the policy: a pure function,
 * so every rule is unit-tested without Kafka or a cluster. It follows the HPA's algorithm (raw
 * recommendation, then the stabilisation windows) with two lag targets:
 *
 * <ul>
 *   <li>records: {@code ceil(lagRecords / targetLagRecordsPerReplica)} replicas;
 *   <li>seconds: {@code ceil(current * lagSeconds / targetLagSeconds)}, unchanged within 10% of the
 *       target (the HPA's tolerance), so a lag that hovers at the target does not flap; an age
 *       under the target and no longer than one measuring period asks for nothing (it is latency,
 *       not load);
 * </ul>
 *
 * the larger wins, clamped to [min, max]. Scale-up goes to the smallest recommendation of the
 * scale-up window, scale-down to the largest of the scale-down window. Scaling up is held while the
 * sink is unavailable: more workers cannot store faster into a ClickHouse that is down.
 */
public final class ScaleDecision {
  static final double TOLERANCE = 0.1;

  /** One raw recommendation, remembered for the windows. */
  public record Recommendation(Instant at, int replicas) {}

  public enum Outcome {
    /** Desired equals current. */
    STEADY,
    SCALE_UP,
    SCALE_DOWN,
    /** Lag asked for more replicas but the sink is unavailable. */
    HELD_SINK_UNAVAILABLE
  }

  /**
   * @param history recommendations to keep for the next call (older than both windows dropped)
   * @param reason one sentence for logs and status
   */
  public record Result(
      int desired, int recommended, Outcome outcome, String reason, List<Recommendation> history) {}

  private ScaleDecision() {}

  /**
   * @param current replicas the worker Deployment has now
   * @param history the previous call's {@link Result#history()} (empty at first)
   * @param sinkAvailable false while the pipeline's StorageReady is False
   */
  public static Result decide(
      LagSample sample,
      int current,
      ScalePolicy policy,
      List<Recommendation> history,
      boolean sinkAvailable) {
    int raw = policy.clamp(recommend(sample, current, policy));
    Instant now = sample.at();
    List<Recommendation> kept = new ArrayList<>();
    for (Recommendation r : history) {
      if (!r.at().isBefore(now.minus(policy.memory())) && !r.at().isAfter(now)) {
        kept.add(r);
      }
    }
    kept.add(new Recommendation(now, raw));

    int desired = current;
    if (raw > current) {
      desired = Math.max(current, minSince(kept, now.minus(policy.scaleUpWindow())));
    } else if (raw < current) {
      desired = Math.min(current, maxSince(kept, now.minus(policy.scaleDownWindow())));
    }
    // Out of bounds (the spec changed, or someone edited the Deployment) is corrected at once.
    desired = policy.clamp(desired);
    String lag = describe(sample, policy);
    if (desired > current && !sinkAvailable) {
      return new Result(
          current,
          raw,
          Outcome.HELD_SINK_UNAVAILABLE,
          lag
              + " asks for "
              + desired
              + " workers, but storage is unavailable: kept at "
              + current
              + " until it is back",
          List.copyOf(kept));
    }
    Outcome outcome =
        desired > current
            ? Outcome.SCALE_UP
            : desired < current ? Outcome.SCALE_DOWN : Outcome.STEADY;
    String reason =
        switch (outcome) {
          case SCALE_UP -> lag + ": scaled up from " + current + " to " + desired;
          case SCALE_DOWN ->
              lag
                  + ": scaled down from "
                  + current
                  + " to "
                  + desired
                  + " (largest recommendation of the last "
                  + policy.scaleDownWindow().toSeconds()
                  + " s)";
          default ->
              raw == current
                  ? lag + ": " + current + " workers fit the target"
                  : lag
                      + ": "
                      + raw
                      + " workers recommended, "
                      + current
                      + " kept within the stabilisation window";
        };
    return new Result(desired, raw, outcome, reason, List.copyOf(kept));
  }

  /** The raw (unclamped, unstabilised) replicas the lag asks for. */
  static int recommend(LagSample sample, int current, ScalePolicy policy) {
    int byRecords = 0;
    if (policy.targetLagRecordsPerReplica() != null) {
      byRecords = ceilDiv(sample.lagRecords(), policy.targetLagRecordsPerReplica());
    }
    int bySeconds = 0;
    if (policy.targetLagSeconds() != null) {
      double ratio = (double) sample.lagSeconds() / policy.targetLagSeconds();
      int base = Math.max(current, 1);
      if (Math.abs(ratio - 1.0) <= TOLERANCE) {
        bySeconds = base;
      } else if (ratio < 1.0 && sample.lagSeconds() <= Autoscaler.PERIOD.toSeconds()) {
        // Under the target and within the estimate's precision (one measuring period), the age is
        // the pipeline's latency (batch delay, commit), which fewer workers do not lengthen: no
        // demand. Scaled in proportion it turned noise (1-5 s against 10 s) into a staircase of
        // scale-downs (6 -> 5 -> 3 -> 1 in SandboxAutoscalingIT).
        bySeconds = 0;
      } else {
        bySeconds = (int) Math.min(Integer.MAX_VALUE, Math.ceil(base * ratio));
      }
    }
    return Math.max(byRecords, bySeconds);
  }

  private static int ceilDiv(long a, long b) {
    return (int) Math.min(Integer.MAX_VALUE, (a + b - 1) / b);
  }

  private static int minSince(List<Recommendation> recs, Instant from) {
    return recs.stream()
        .filter(r -> !r.at().isBefore(from))
        .mapToInt(Recommendation::replicas)
        .min()
        .orElseThrow();
  }

  private static int maxSince(List<Recommendation> recs, Instant from) {
    return recs.stream()
        .filter(r -> !r.at().isBefore(from))
        .mapToInt(Recommendation::replicas)
        .max()
        .orElseThrow();
  }

  private static String describe(LagSample sample, ScalePolicy policy) {
    StringBuilder s = new StringBuilder("lag ").append(sample.lagRecords()).append(" records");
    if (policy.targetLagRecordsPerReplica() != null) {
      s.append(" (target ").append(policy.targetLagRecordsPerReplica()).append(" per worker)");
    }
    s.append(", ").append(sample.lagSeconds()).append(" s");
    if (policy.targetLagSeconds() != null) {
      s.append(" (target ").append(policy.targetLagSeconds()).append(" s)");
    }
    return s.toString();
  }
}
