package dev.logpipe.sandbox;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What an autoscaled pipeline did over time, sampled every {@link #EVERY}: the worker Deployment's
 * {@code spec.replicas} (what the operator wrote), the worker processes the node agent runs for it
 * (what really ran, terminating ones included) and the operator's lag gauges (one new value per
 * measurement). A test reads the peaks and the changes once the scenario is over.
 */
final class ScaleTimeline implements AutoCloseable {
  static final Duration EVERY = Duration.ofMillis(200);

  /** One sample; {@code lagSeconds}/{@code lagRecords} are NaN before the first measurement. */
  record Sample(
      Instant at, int specReplicas, int workerProcesses, double lagSeconds, double lagRecords) {}

  /** A change of {@code spec.replicas}. */
  record Change(Instant at, int from, int to) {
    boolean up() {
      return to > from;
    }
  }

  private final Sandbox sandbox;
  private final String namespace;
  private final String pipeline;
  private final String deployment;
  private final List<Sample> samples = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService sampler =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "scale-timeline"));

  ScaleTimeline(Sandbox sandbox, String namespace, String pipeline, String deployment) {
    this.sandbox = sandbox;
    this.namespace = namespace;
    this.pipeline = pipeline;
    this.deployment = deployment;
    sampler.scheduleAtFixedRate(this::sample, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sample() {
    try {
      Deployment d =
          sandbox.client().apps().deployments().inNamespace(namespace).withName(deployment).get();
      int spec = d == null || d.getSpec().getReplicas() == null ? -1 : d.getSpec().getReplicas();
      int processes =
          (int)
              sandbox.pods().pods().stream()
                  .filter(
                      p ->
                          p.namespace().equals(namespace)
                              && p.component().equals("worker")
                              && p.name().startsWith(deployment + "-"))
                  .count();
      samples.add(
          new Sample(
              Instant.now(),
              spec,
              processes,
              gauge("logpipe.pipeline.lag.seconds"),
              gauge("logpipe.pipeline.lag.records")));
    } catch (RuntimeException e) {
      System.out.println("timeline: sample failed: " + e); // one missed sample; the next one counts
    }
  }

  private double gauge(String name) {
    Gauge g =
        sandbox.meters().find(name).tag("namespace", namespace).tag("pipeline", pipeline).gauge();
    return g == null ? Double.NaN : g.value();
  }

  List<Sample> samples() {
    return List.copyOf(samples);
  }

  Sample last() {
    List<Sample> all = samples();
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  int maxSpecReplicas() {
    return samples().stream().mapToInt(Sample::specReplicas).max().orElse(-1);
  }

  int maxWorkerProcesses() {
    return samples().stream().mapToInt(Sample::workerProcesses).max().orElse(-1);
  }

  /** Every change of spec.replicas after {@code from}. */
  List<Change> changes(Instant from) {
    List<Change> changes = new ArrayList<>();
    Sample previous = null;
    for (Sample s : samples()) {
      if (s.specReplicas() < 0) {
        continue;
      }
      if (previous != null && s.specReplicas() != previous.specReplicas() && s.at().isAfter(from)) {
        changes.add(new Change(s.at(), previous.specReplicas(), s.specReplicas()));
      }
      previous = s;
    }
    return changes;
  }

  /** The distinct spec.replicas values in order, e.g. [1, 6, 1]. */
  List<Integer> replicasSeen() {
    List<Integer> seen = new ArrayList<>();
    for (Sample s : samples()) {
      if (s.specReplicas() >= 0
          && (seen.isEmpty() || seen.get(seen.size() - 1) != s.specReplicas())) {
        seen.add(s.specReplicas());
      }
    }
    return seen;
  }

  /** The operator's lag-seconds measurements (each new value once) after {@code from}. */
  List<Sample> lagMeasurements(Instant from) {
    List<Sample> out = new ArrayList<>();
    Sample previous = null;
    for (Sample s : samples()) {
      boolean changed =
          previous == null
              || Double.compare(s.lagSeconds(), previous.lagSeconds()) != 0
              || Double.compare(s.lagRecords(), previous.lagRecords()) != 0;
      if (changed && s.at().isAfter(from) && !Double.isNaN(s.lagSeconds())) {
        out.add(s);
      }
      previous = s;
    }
    return out;
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
