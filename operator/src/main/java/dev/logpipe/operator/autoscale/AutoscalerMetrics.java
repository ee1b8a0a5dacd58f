package dev.logpipe.operator.autoscale;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.function.Supplier;

/**
 * Per autoscaled pipeline (labels namespace, pipeline, as the worker's metrics): {@code
 * logpipe_pipeline_lag_records}, {@code logpipe_pipeline_lag_seconds}, {@code
 * logpipe_pipeline_desired_replicas}. Removed when the pipeline stops autoscaling, so the series do
 * not outlive it.
 */
public final class AutoscalerMetrics {
  private final MeterRegistry registry;

  public AutoscalerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the three gauges reading {@code view}; returns them for {@link #remove}. */
  public List<Meter> register(String namespace, String pipeline, Supplier<AutoscaleView> view) {
    Tags tags = Tags.of("namespace", namespace, "pipeline", pipeline);
    return List.of(
        Gauge.builder("logpipe.pipeline.lag.records", view, v -> lag(v.get(), true))
            .description("Records waiting in the pipeline's topic for its consumer group")
            .tags(tags)
            .strongReference(true)
            .register(registry),
        Gauge.builder("logpipe.pipeline.lag.seconds", view, v -> lag(v.get(), false))
            .description("Estimated age of the oldest record the workers have not stored")
            .tags(tags)
            .strongReference(true)
            .register(registry),
        Gauge.builder("logpipe.pipeline.desired.replicas", view, v -> v.get().desired())
            .description("Worker replicas the operator's autoscaler wants")
            .tags(tags)
            .strongReference(true)
            .register(registry));
  }

  public void remove(List<Meter> meters) {
    meters.forEach(registry::remove);
  }

  private static double lag(AutoscaleView v, boolean records) {
    if (v.lag() == null) {
      return Double.NaN;
    }
    return records ? v.lag().lagRecords() : v.lag().lagSeconds();
  }
}
