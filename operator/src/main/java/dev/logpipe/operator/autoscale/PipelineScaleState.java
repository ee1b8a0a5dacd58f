package dev.logpipe.operator.autoscale;

import dev.logpipe.operator.status.ConditionResult;
import dev.logpipe.operator.status.Reason;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Everything the autoscaler keeps for one pipeline, in one owner: the target (set by reconcile
 * threads), the end-offset histories and recommendations (sampler thread only) and the published
 * {@link AutoscaleView} (written by the sampler, read by reconcile threads).
 */
final class PipelineScaleState {
  private volatile AutoscaleTarget target;
  private volatile boolean sinkAvailable;
  private volatile AutoscaleView view;
  private final Map<Integer, EndOffsetHistory> histories = new HashMap<>();
  private List<ScaleDecision.Recommendation> recommendations = List.of();
  // Sampler thread only: whether HPAs/ScaledObjects were looked up since tracking began.
  private boolean externalChecked;

  PipelineScaleState(AutoscaleTarget target, boolean sinkAvailable, Instant now) {
    this.target = target;
    this.sinkAvailable = sinkAvailable;
    int start =
        target
            .policy()
            .clamp(
                target.deploymentReplicas() == null
                    ? target.policy().minReplicas()
                    : target.deploymentReplicas());
    // As if the starting size had just been recommended: after an operator restart scale-down
    // still waits a whole window.
    recommendations = List.of(new ScaleDecision.Recommendation(now, start));
    view =
        new AutoscaleView(
            start,
            null,
            null,
            null,
            null,
            ConditionResult.unknown(
                Reason.Pending,
                "The consumer-group lag is measured every "
                    + Autoscaler.PERIOD.toSeconds()
                    + " s; the first measurement is pending."));
  }

  AutoscaleTarget target() {
    return target;
  }

  AutoscaleView view() {
    return view;
  }

  /** A new spec: bounds apply at once, without waiting for the next measurement. */
  synchronized void retarget(AutoscaleTarget next) {
    target = next;
    int clamped = next.policy().clamp(view.desired());
    if (clamped != view.desired()) {
      view =
          new AutoscaleView(
              clamped,
              view.lag(),
              view.lastScaleTime(),
              "workers.autoscaling bounds changed: " + view.desired() + " -> " + clamped,
              view.externalScaler(),
              view.condition());
    }
  }

  boolean externalChecked() {
    return externalChecked;
  }

  void sinkAvailable(boolean available) {
    sinkAvailable = available;
  }

  /**
   * Folds a measurement in and decides.
   *
   * @return true when desired or the condition changed, so the pipeline must be reconciled
   */
  synchronized boolean measured(KafkaLagReader.Offsets offsets, Instant now) {
    return measured(offsets, now, url -> true);
  }

  /**
   * @param storageReachable asked only when the decision is a scale-up: whether the pipeline's
   *     ClickHouse answers now (StorageReady may still be True early in an outage)
   */
  synchronized boolean measured(
      KafkaLagReader.Offsets offsets, Instant now, Predicate<String> storageReachable) {
    long nowMillis = now.toEpochMilli();
    long records = 0;
    long ageMillis = 0;
    for (var e : offsets.end().entrySet()) {
      long end = e.getValue();
      long committed = offsets.committed().getOrDefault(e.getKey(), end);
      EndOffsetHistory h = histories.computeIfAbsent(e.getKey(), p -> new EndOffsetHistory());
      h.add(nowMillis, end);
      records += Math.max(0, end - committed);
      ageMillis = Math.max(ageMillis, h.ageMillis(committed, nowMillis));
    }
    histories.keySet().retainAll(offsets.end().keySet());
    LagSample sample = new LagSample(now, records, ageMillis / 1000);
    AutoscaleView before = view;
    if (before.externalScaler() != null) {
      // Another scaler owns replicas: keep measuring (status, metrics), decide nothing.
      view =
          new AutoscaleView(
              before.desired(),
              sample,
              before.lastScaleTime(),
              before.lastScaleReason(),
              before.externalScaler(),
              external(before.externalScaler()));
      return false;
    }
    ScaleDecision.Result r =
        ScaleDecision.decide(
            sample, before.desired(), target.policy(), recommendations, sinkAvailable);
    if (r.outcome() == ScaleDecision.Outcome.SCALE_UP
        && !storageReachable.test(target.clickHouseUrl())) {
      r = ScaleDecision.decide(sample, before.desired(), target.policy(), recommendations, false);
    }
    recommendations = r.history();
    boolean changed = r.desired() != before.desired();
    ConditionResult condition =
        switch (r.outcome()) {
          case HELD_SINK_UNAVAILABLE ->
              ConditionResult.isFalse(Reason.ScaleUpHeld, r.reason() + ".");
          default -> ConditionResult.isTrue(Reason.AutoscalingActive, r.reason() + ".");
        };
    view =
        new AutoscaleView(
            r.desired(),
            sample,
            changed ? now.truncatedTo(ChronoUnit.SECONDS).toString() : before.lastScaleTime(),
            changed ? r.reason() : before.lastScaleReason(),
            before.externalScaler(),
            condition);
    return changed || !sameKind(before.condition(), condition);
  }

  /** Kafka did not answer or the topic does not exist: keep replicas, say why. */
  synchronized boolean unknown(String message) {
    AutoscaleView before = view;
    ConditionResult condition =
        before.externalScaler() != null
            ? external(before.externalScaler())
            : ConditionResult.unknown(
                Reason.LagUnknown,
                "The lag cannot be measured ("
                    + message
                    + "); workers stay at "
                    + before.desired()
                    + ".");
    view =
        new AutoscaleView(
            before.desired(),
            before.lag(),
            before.lastScaleTime(),
            before.lastScaleReason(),
            before.externalScaler(),
            condition);
    return !sameKind(before.condition(), condition);
  }

  /** An HPA or ScaledObject appeared or went away ({@code scaler} null). */
  synchronized boolean externalScaler(String scaler) {
    externalChecked = true;
    AutoscaleView before = view;
    if (java.util.Objects.equals(scaler, before.externalScaler())) {
      return false;
    }
    ConditionResult condition =
        scaler != null
            ? external(scaler)
            : ConditionResult.unknown(
                Reason.Pending, "The external scaler is gone; the next measurement decides.");
    view =
        new AutoscaleView(
            before.desired(),
            before.lag(),
            before.lastScaleTime(),
            before.lastScaleReason(),
            scaler,
            condition);
    return true;
  }

  private ConditionResult external(String scaler) {
    return ConditionResult.isFalse(
        Reason.ExternalAutoscaler,
        scaler
            + " targets Deployment "
            + target.deployment()
            + ", so the operator leaves its replicas alone; delete it, or remove"
            + " spec.workers.autoscaling to size the workers another way.");
  }

  private static boolean sameKind(ConditionResult a, ConditionResult b) {
    return a.status() == b.status() && a.reason() == b.reason();
  }
}
