package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.status.ConditionType.Accepted;
import static dev.logpipe.operator.status.ConditionType.ClickHouseReachable;
import static dev.logpipe.operator.status.ConditionType.KafkaReachable;
import static dev.logpipe.operator.status.ConditionType.RedisReachable;

import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackendStatus;
import dev.logpipe.operator.schema.SpecValidation;
import dev.logpipe.operator.status.ConditionResult;
import dev.logpipe.operator.status.ConditionStatus;
import dev.logpipe.operator.status.Reason;
import dev.logpipe.operator.status.StatusAggregator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Checks that a backend's spec is valid (Accepted), then its Kafka, ClickHouse and Redis
 * periodically and reports each as a condition, plus Ready, the ClickHouse version and when it last
 * looked. The status is written only when a result changed, or to refresh lastCheckTime every few
 * minutes, so checks never cause write storms.
 */
@ControllerConfiguration(name = ClusterLogBackendReconciler.NAME)
public class ClusterLogBackendReconciler implements Reconciler<ClusterLogBackend> {
  public static final String NAME = "clusterlogbackend";
  static final Duration LAST_CHECK_REFRESH = Duration.ofMinutes(5);

  private final BackendChecks checks;
  private final Duration interval;
  private final Clock clock;
  // Checks wait on the network, not the CPU: the common pool has one thread on two cores.
  private final Executor probes =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "logpipe-backend-probe");
            t.setDaemon(true);
            return t;
          });

  public ClusterLogBackendReconciler(BackendChecks checks, Duration interval, Clock clock) {
    this.checks = checks;
    this.interval = interval;
    this.clock = clock;
  }

  @Override
  public UpdateControl<ClusterLogBackend> reconcile(
      ClusterLogBackend backend, Context<ClusterLogBackend> context) {
    var spec = backend.getSpec();
    StatusAggregator aggregator =
        new StatusAggregator(backend.getMetadata().getGeneration(), clock)
            .readyMessage("Kafka, ClickHouse and Redis of this backend answer.")
            .require(Accepted, KafkaReachable, ClickHouseReachable);
    ClusterLogBackendStatus old = backend.getStatus();
    ConditionResult accepted = accepted(backend);
    accepted.applyTo(aggregator, Accepted);
    if (accepted.status() != ConditionStatus.True) {
      // An empty or malformed URL is not probed: the servers' conditions would only repeat it.
      String notChecked = "Not checked until the spec is valid (see Accepted).";
      ConditionResult.unknown(Reason.InvalidSpec, notChecked).applyTo(aggregator, KafkaReachable);
      ConditionResult.unknown(Reason.InvalidSpec, notChecked)
          .applyTo(aggregator, ClickHouseReachable);
      return patchIfChanged(backend, aggregator, old, null);
    }
    // The three checks are independent; run them side by side so the slowest bounds the time.
    var kafka = CompletableFuture.supplyAsync(() -> checks.kafka(spec), probes);
    var clickHouse =
        CompletableFuture.supplyAsync(() -> checks.clickHouse(spec, context.getClient()), probes);
    var redis =
        spec.getRedis() == null
            ? null
            : CompletableFuture.supplyAsync(() -> checks.redis(spec, context.getClient()), probes);
    kafka.join().applyTo(aggregator, KafkaReachable);
    BackendChecks.ClickHouseCheck ch = clickHouse.join();
    ch.condition().applyTo(aggregator, ClickHouseReachable);
    if (redis != null) {
      aggregator.require(RedisReachable);
      redis.join().applyTo(aggregator, RedisReachable);
    }
    return patchIfChanged(backend, aggregator, old, ch.version());
  }

  /**
   * The spec keeps every rule of the CRD schema (an API server whose CRD differs from the
   * operator's may not have checked it); fields this operator does not know are named.
   */
  private static ConditionResult accepted(ClusterLogBackend backend) {
    var problems = backend.getSpec().getSpecProblems();
    List<String> invalid =
        problems.unreadableFields().isEmpty()
            ? SpecValidation.check(backend)
            : problems.unreadableFields();
    if (!invalid.isEmpty()) {
      return ConditionResult.isFalse(
          Reason.InvalidSpec,
          "Pipelines cannot use this backend until the spec is fixed: "
              + String.join("; ", invalid)
              + ".");
    }
    if (!problems.ignoredFields().isEmpty()) {
      return ConditionResult.isTrue(
          Reason.AcceptedWithWarnings,
          "The spec is valid. Ignored fields this operator does not know (a typo, or a CRD newer"
              + " than the operator): "
              + String.join(", ", problems.ignoredFields())
              + ".");
    }
    return ConditionResult.isTrue(Reason.Accepted, "The spec is valid.");
  }

  private UpdateControl<ClusterLogBackend> patchIfChanged(
      ClusterLogBackend backend,
      StatusAggregator aggregator,
      ClusterLogBackendStatus old,
      String version) {
    ClusterLogBackendStatus status = new ClusterLogBackendStatus();
    status.setConditions(aggregator.conditions(old == null ? null : old.getConditions()));
    status.setObservedGeneration(aggregator.observedGeneration());
    status.setClickhouseVersion(
        version != null ? version : old == null ? null : old.getClickhouseVersion());
    status.setIgnoredFields(backend.getSpec().getSpecProblems().ignoredFields());
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    status.setLastCheckTime(old == null ? null : old.getLastCheckTime());
    if (!StatusAggregator.changed(old, status) && !stale(old, now)) {
      return UpdateControl.<ClusterLogBackend>noUpdate().rescheduleAfter(interval);
    }
    status.setLastCheckTime(now.toString());
    backend.setStatus(status);
    return UpdateControl.patchStatus(backend).rescheduleAfter(interval);
  }

  private static boolean stale(ClusterLogBackendStatus old, Instant now) {
    if (old == null || old.getLastCheckTime() == null) {
      return true;
    }
    return Instant.parse(old.getLastCheckTime()).plus(LAST_CHECK_REFRESH).isBefore(now);
  }
}
