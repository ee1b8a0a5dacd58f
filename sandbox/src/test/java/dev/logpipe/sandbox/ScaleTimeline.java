package dev.logpipe.sandbox;

import dev.logpipe.operator.autoscale.AutoscaleView;
import dev.logpipe.operator.autoscale.LagSample;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
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
 * (what really ran, terminating ones included) and the autoscaler's last lag measurement (with its
 * time, so each measurement is seen once). A test reads the peaks and the changes once the scenario
 * is over.
 */
final class ScaleTimeline implements AutoCloseable {
  static final Duration EVERY = Duration.ofMillis(200);

  /**
   * One sample; {@code lagSeconds}/{@code lagRecords} are NaN and {@code measuredAt} null before
   * the operator's first measurement.
   */
  record Sample(
      Instant at,
      int specReplicas,
      int workerProcesses,
      double lagSeconds,
      double lagRecords,
      Instant measuredAt) {}

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
      // The autoscaler's own view: the gauges carry no time, so equal measurements would merge.
      LagSample lag =
          sandbox
              .operator()
              .autoscaler()
              .view(new ResourceID(pipeline, namespace))
              .map(AutoscaleView::lag)
              .orElse(null);
      samples.add(
          new Sample(
              Instant.now(),
              spec,
              processes,
              lag == null ? Double.NaN : lag.lagSeconds(),
              lag == null ? Double.NaN : lag.lagRecords(),
              lag == null ? null : lag.at()));
    } catch (RuntimeException e) {
      System.out.println("timeline: sample failed: " + e); // one missed sample; the next one counts
    }
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

  /** The operator's lag measurements (each once, by its time) made after {@code from}. */
  List<Sample> lagMeasurements(Instant from) {
    List<Sample> out = new ArrayList<>();
    Sample previous = null;
    for (Sample s : samples()) {
      boolean changed =
          s.measuredAt() != null
              && (previous == null || !s.measuredAt().equals(previous.measuredAt()));
      if (changed && s.measuredAt().isAfter(from)) {
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
