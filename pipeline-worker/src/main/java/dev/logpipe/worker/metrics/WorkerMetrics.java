package dev.logpipe.worker.metrics;

import dev.logpipe.worker.config.PipelineConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The worker's Prometheus metrics; every series carries the pipeline's namespace and name. */
public final class WorkerMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Tags tags;
  private final Counter consumed;
  private final Counter stored;
  private final Counter anomalies;
  private final Counter insertFailures;
  private final Counter redisErrors;
  private final DistributionSummary batchRows;
  private final Timer insertLatency;
  private final AtomicLong lag = new AtomicLong();
  private final AtomicLong lagMillis = new AtomicLong();
  private final MultiGauge partitionLag;
  private final MultiGauge partitionLagSeconds;
  private final ConcurrentHashMap<String, Counter> deadLettered = new ConcurrentHashMap<>();

  public WorkerMetrics(PipelineConfig.Pipeline pipeline) {
    this.tags = Tags.of("namespace", pipeline.namespace(), "pipeline", pipeline.name());
    consumed = registry.counter("logpipe_records_consumed", tags);
    stored = registry.counter("logpipe_rows_stored", tags);
    anomalies = registry.counter("logpipe_anomalies", tags);
    insertFailures = registry.counter("logpipe_insert_failures", tags);
    redisErrors = registry.counter("logpipe_redis_errors", tags);
    batchRows =
        DistributionSummary.builder("logpipe_batch_rows")
            .tags(tags)
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    insertLatency =
        Timer.builder("logpipe_insert_latency")
            .tags(tags)
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    // Records this worker is behind over the partitions it owns (broker end offset − committed,
    // i.e. stored, position), and the age of the oldest of them; per partition below.
    registry.gauge("logpipe_consumer_lag", tags, lag);
    registry.gauge("logpipe_consumer_lag_seconds", tags, lagMillis, m -> m.get() / 1000.0);
    partitionLag = MultiGauge.builder("logpipe_partition_lag").tags(tags).register(registry);
    partitionLagSeconds =
        MultiGauge.builder("logpipe_partition_lag_seconds").tags(tags).register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  public void consumed(int n) {
    consumed.increment(n);
  }

  public void stored(int rows, Duration took) {
    stored.increment(rows);
    batchRows.record(rows);
    insertLatency.record(took);
  }

  public void anomalies(int n) {
    anomalies.increment(n);
  }

  public void deadLettered(String reason) {
    deadLettered
        .computeIfAbsent(
            reason, r -> registry.counter("logpipe_dead_lettered", tags.and("reason", r)))
        .increment();
  }

  public void insertFailed() {
    insertFailures.increment();
  }

  public void redisError() {
    redisErrors.increment();
  }

  /** One partition's lag: records not yet stored, and the age of the oldest of them. */
  public record PartitionLag(long records, double seconds) {}

  /** The lag of every partition this worker owns (an absent partition is no longer owned). */
  public void lag(Map<Integer, PartitionLag> byPartition) {
    long records = 0;
    double seconds = 0;
    List<MultiGauge.Row<?>> recordRows = new ArrayList<>();
    List<MultiGauge.Row<?>> secondRows = new ArrayList<>();
    for (Map.Entry<Integer, PartitionLag> e : byPartition.entrySet()) {
      Tags partition = Tags.of("partition", String.valueOf(e.getKey()));
      records += e.getValue().records();
      seconds = Math.max(seconds, e.getValue().seconds());
      recordRows.add(MultiGauge.Row.of(partition, e.getValue().records()));
      secondRows.add(MultiGauge.Row.of(partition, e.getValue().seconds()));
    }
    partitionLag.register(recordRows, true);
    partitionLagSeconds.register(secondRows, true);
    lag.set(records);
    lagMillis.set(Math.round(seconds * 1000));
  }

  /** Only the total, for callers without partitions. */
  public void lag(long value) {
    lag.set(value);
  }

  public double storedTotal() {
    return stored.count();
  }

  public double deadLetteredTotal() {
    return deadLettered.values().stream().mapToDouble(Counter::count).sum();
  }

  public double redisErrorsTotal() {
    return redisErrors.count();
  }

  public String scrape() {
    return registry.scrape();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The pipeline's topic was found with a new topic id: it was deleted and recreated. */
  public void topicRecreated() {
    registry.counter("logpipe_topic_recreated", tags).increment();
  }

  /** An unconfirmed batch from the ledger was re-inserted (after a crash, timeout or rebalance). */
  public void ledgerReplayed() {
    registry.counter("logpipe_ledger_replays", tags).increment();
  }
}
