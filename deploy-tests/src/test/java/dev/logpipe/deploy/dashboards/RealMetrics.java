package dev.logpipe.deploy.dashboards;

import dev.logpipe.operator.LogpipeOperator;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.autoscale.AutoscaleView;
import dev.logpipe.operator.autoscale.AutoscalerMetrics;
import dev.logpipe.operator.autoscale.LagSample;
import dev.logpipe.operator.status.ConditionResult;
import dev.logpipe.operator.status.Reason;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.metrics.WorkerMetrics;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Prometheus series the worker and the operator really expose: {@link WorkerMetrics} and
 * JOSDK's {@link MicrometerMetrics}, built as the operator builds it ({@link
 * LogpipeOperator#metrics}), are driven through every method and scraped, so a dashboard query can
 * be checked against real names and labels instead of a hand-kept list.
 */
final class RealMetrics {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** metric name → label name → values seen. */
  final Map<String, Map<String, Set<String>>> series = new HashMap<>();

  static RealMetrics scrape() {
    RealMetrics real = new RealMetrics();
    real.parse(worker());
    real.parse(operator());
    return real;
  }

  private static String worker() {
    WorkerMetrics metrics = new WorkerMetrics(new PipelineConfig.Pipeline("team-a", "payments"));
    metrics.consumed(10);
    metrics.stored(10, Duration.ofMillis(12));
    metrics.anomalies(1);
    metrics.deadLettered("unparseable");
    metrics.insertFailed();
    metrics.redisError();
    metrics.lag(42);
    return metrics.scrape();
  }

  private static String operator() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // The operator's own setup (per-resource meters off), so a dashboard cannot rely on a label
    // that only the per-resource variant adds.
    MicrometerMetrics metrics = LogpipeOperator.metrics(registry);
    LogPipeline resource = new LogPipeline();
    resource.setMetadata(
        new ObjectMetaBuilder().withName("payments").withNamespace("team-a").build());
    Map<String, Object> metadata =
        Map.of(
            Constants.RESOURCE_GVK_KEY,
            GroupVersionKind.gvkFor(LogPipeline.class),
            Constants.CONTROLLER_NAME,
            "logpipelinereconciler");
    registerController(metrics, "logpipelinereconciler");
    metrics.reconcileCustomResource(resource, null, metadata);
    metrics.reconciliationExecutionStarted(resource, metadata);
    metrics.failedReconciliation(resource, new IllegalStateException("test"), metadata);
    metrics.reconciliationExecutionFinished(resource, metadata);
    metrics.reconcileCustomResource(resource, null, metadata);
    metrics.finishedReconciliation(resource, metadata);
    try {
      metrics.timeControllerExecution(
          new Metrics.ControllerExecution<String>() {
            @Override
            public String name() {
              return "reconcile";
            }

            @Override
            public String controllerName() {
              return "logpipelinereconciler";
            }

            @Override
            public String successTypeName(String result) {
              return "resource";
            }

            @Override
            public ResourceID resourceID() {
              return ResourceID.fromResource(resource);
            }

            @Override
            public Map<String, Object> metadata() {
              return metadata;
            }

            @Override
            public String execute() {
              return "done";
            }
          });
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    // The autoscaler's per-pipeline gauges, as the operator registers them.
    AutoscaleView view =
        new AutoscaleView(
            3,
            new LagSample(java.time.Instant.now(), 42_000, 17),
            null,
            null,
            null,
            ConditionResult.isTrue(Reason.AutoscalingActive, "test"));
    new AutoscalerMetrics(registry).register("team-a", "payments", () -> view);
    return registry.scrape();
  }

  /**
   * JOSDK creates its per-controller gauges in controllerRegistered(Controller), and a Controller
   * needs a live client; the two gauges are put in directly instead (dashboards do not use them).
   */
  @SuppressWarnings("unchecked")
  private static void registerController(MicrometerMetrics metrics, String name) {
    try {
      Field field = MicrometerMetrics.class.getDeclaredField("gauges");
      field.setAccessible(true);
      Map<String, AtomicInteger> gauges = (Map<String, AtomicInteger>) field.get(metrics);
      gauges.put("operator.sdk.reconciliations.queue.size." + name, new AtomicInteger());
      gauges.put("operator.sdk.reconciliations.executions." + name, new AtomicInteger());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("JOSDK's MicrometerMetrics changed; update this test", e);
    }
  }

  private void parse(String exposition) {
    for (String line : exposition.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (line.startsWith("#") || !m.find()) {
        continue;
      }
      Map<String, Set<String>> labels = series.computeIfAbsent(m.group(1), k -> new HashMap<>());
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.computeIfAbsent(l.group(1), k -> new TreeSet<>()).add(l.group(2));
        }
      }
    }
  }
}
