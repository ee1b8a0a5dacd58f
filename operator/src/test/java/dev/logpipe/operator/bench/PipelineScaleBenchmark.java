package dev.logpipe.operator.bench;

import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.config.OperatorConfig;
import dev.logpipe.operator.testing.TestingLogpipe;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Creates 500 LogPipelines (50 namespaces x 10) against the mock API server with real ClickHouse
 * and Redis, plays Strimzi and the kubelet from helper threads, and prints the time until all are
 * Ready, reconcile latency p50/p99 (JOSDK's Micrometer timer) and heap/RSS. The mock server runs in
 * this JVM too, so heap and RSS include it. With {@code -DkafkaUsers=true} the backend has Kafka
 * authentication on, so each pipeline also gets its two KafkaUsers and waits for their Secrets,
 * which a helper thread writes as Strimzi's User Operator does. Run:
 *
 * <pre>
 * bin/bench operator dev.logpipe.operator.bench.PipelineScaleBenchmark [pipelines]
 * </pre>
 */
public final class PipelineScaleBenchmark {
  private static final int PER_NAMESPACE = 10;
  private static final boolean KAFKA_USERS = Boolean.getBoolean("kafkaUsers");

  public static void main(String[] args) throws Exception {
    int pipelines = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int namespaces = (pipelines + PER_NAMESPACE - 1) / PER_NAMESPACE;
    Path dir = Files.createTempDirectory("logpipe-bench");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OperatorConfig production = OperatorConfig.fromEnv(Map.of());
    try (DevServices services =
            DevServices.start(dir, Set.of(DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS));
        // The production defaults (OperatorConfig.fromEnv): 10 reconcile threads, 60 s resync.
        TestingLogpipe env =
            new TestingLogpipe(
                registry, production.reconcileThreads(), production.resyncPeriod())) {
      java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
      env.defaultBackend(services);
      if (KAFKA_USERS) {
        env.client()
            .resources(ClusterLogBackend.class)
            .withName("default")
            .edit(b -> TestingFixtures.scram(b, "127.0.0.1:9095"));
      }
      System.out.printf(
          "Kafka users:              %s%n",
          KAFKA_USERS ? "on (two KafkaUsers per pipeline)" : "off (plaintext backend)");
      for (int n = 0; n < namespaces; n++) {
        env.namespace("bench-" + n, true);
      }
      AtomicBoolean running = new AtomicBoolean(true);
      // One thread per controller it plays (Strimzi's Topic and User Operators, the Deployment
      // controller and kubelets), as they run side by side in a cluster: one slow pass of one of
      // them (hundreds of new users at first) does not hold the others back.
      List<Thread> helpers =
          List.of(
              player("topics", running, () -> env.children().markTopicsReady(STRIMZI_NS)),
              player("users", running, () -> usersReady(env)),
              player("deployments", running, () -> env.children().markAllDeploymentsAvailable()));
      long start = System.nanoTime();
      helpers.forEach(Thread::start);
      for (int i = 0; i < pipelines; i++) {
        env.pipeline("bench-" + (i / PER_NAMESPACE), "p" + (i % PER_NAMESPACE), s -> {});
      }
      long created = System.nanoTime();
      int ready = 0;
      while (ready < pipelines && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(300)) {
        Thread.sleep(1_000);
        ready = countReady(env);
      }
      long done = System.nanoTime();
      running.set(false);
      for (Thread helper : helpers) {
        helper.join();
      }

      System.gc();
      Runtime rt = Runtime.getRuntime();
      long heapMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
      Timer timer =
          registry
              .find("operator.sdk.controllers.execution.reconcile")
              .tag("controller", "logpipeline")
              .timer();
      System.out.printf(
          "pipelines created:        %d in %.1f s%n", pipelines, secs(created - start));
      System.out.printf(
          "all Ready:                %d/%d after %.1f s%n", ready, pipelines, secs(done - start));
      if (timer != null) {
        System.out.printf(
            "reconciles:               %d, p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
            timer.count(),
            percentile(timer, 0.50),
            percentile(timer, 0.99),
            timer.max(TimeUnit.MILLISECONDS));
        System.out.printf(
            "mean reconcile:           %.0f ms; %s%n",
            timer.mean(TimeUnit.MILLISECONDS), buckets(timer));
      }
      System.out.printf(
          "heap used after GC:       %d MB (max %d MB)%n", heapMb, rt.maxMemory() >> 20);
      System.out.printf("API requests:             %s%n", env.requestCounts());
      System.out.printf("RSS:                      %s%n", rss());
    }
  }

  private static Thread player(String name, AtomicBoolean running, Runnable pass) {
    return new Thread(
        () -> {
          while (running.get()) {
            try {
              pass.run(); // one list request, then a write per object that lags
              Thread.sleep(1_000);
            } catch (InterruptedException e) {
              return;
            } catch (RuntimeException e) {
              // A conflict with the operator's own write: try again on the next pass.
            }
          }
        },
        "bench-" + name);
  }

  private static void usersReady(TestingLogpipe env) {
    if (KAFKA_USERS) {
      env.children().markUsersReady(STRIMZI_NS);
    }
  }

  private static int countReady(TestingLogpipe env) {
    List<LogPipeline> all =
        env.client().resources(LogPipeline.class).inAnyNamespace().list().getItems();
    return (int) all.stream().filter(p -> TestingLogpipe.isTrue(p, "Ready")).count();
  }

  /**
   * Linear interpolation inside the histogram bucket that holds the percentile. Bucket counts are
   * cumulative (Micrometer's percentile histogram); the count above the last bucket is the rest.
   */
  static double percentile(Timer timer, double p) {
    CountAtBucket[] buckets = timer.takeSnapshot().histogramCounts();
    double target = p * timer.count();
    double lowerBound = 0;
    double lowerCount = 0;
    for (CountAtBucket b : buckets) {
      double upper = b.bucket(TimeUnit.MILLISECONDS);
      if (b.count() >= target) {
        double span = b.count() - lowerCount;
        return span == 0 ? upper : lowerBound + (upper - lowerBound) * (target - lowerCount) / span;
      }
      lowerBound = upper;
      lowerCount = b.count();
    }
    return timer.max(TimeUnit.MILLISECONDS);
  }

  private static String buckets(Timer timer) {
    StringBuilder out = new StringBuilder();
    for (CountAtBucket b : timer.takeSnapshot().histogramCounts()) {
      if (b.count() > 0) {
        out.append(String.format("<=%.0fms:%.0f ", b.bucket(TimeUnit.MILLISECONDS), b.count()));
      }
    }
    return out.toString();
  }

  private static String rss() throws Exception {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("VmRSS"))
        .map(l -> l.substring(6).trim())
        .findFirst()
        .orElse("unknown");
  }

  private static double secs(long nanos) {
    return nanos / 1e9;
  }
}
