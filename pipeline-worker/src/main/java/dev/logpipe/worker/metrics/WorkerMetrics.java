package dev.logpipe.worker.metrics;

import dev.logpipe.worker.config.PipelineConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
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
    registry.gauge("logpipe_consumer_lag", tags, lag);
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
