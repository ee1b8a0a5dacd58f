package dev.logpipe.operator.autoscale;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.micrometer.core.instrument.Meter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lag-based autoscaling of worker Deployments. Reconciliations register autoscaled pipelines
 * ({@link #track}); one scheduler thread measures all of them every {@link #PERIOD}, batched per
 * Kafka cluster ({@link KafkaLagReader}), decides ({@link ScaleDecision}) and, when desired
 * replicas change, asks for a reconciliation of that pipeline. The reconciliation writes the
 * Deployment ({@link #view}), so the reconcile threads stay the only writers and never wait on
 * Kafka. The sampler does not look at the workers, so it keeps measuring while they are paused.
 */
public final class Autoscaler implements AutoCloseable {
  public static final Duration PERIOD = Duration.ofSeconds(10);
  // HPAs and ScaledObjects are looked up every 6th round (once a minute), per namespace, and in
  // the first round after a pipeline is tracked.
  static final int EXTERNAL_CHECK_EVERY = 6;
  private static final Logger LOG = LoggerFactory.getLogger(Autoscaler.class);
  private static final long SLOW_ROUND_MILLIS = 2_000;

  private final Map<ResourceID, PipelineScaleState> tracked = new ConcurrentHashMap<>();
  private final Map<ResourceID, List<Meter>> meters = new ConcurrentHashMap<>();
  private final KafkaLagReader reader = new KafkaLagReader();
  private final ExternalScalers external;
  private final ClickHousePing storage;
  private final AutoscalerMetrics metrics;
  private final Clock clock;
  private final SimpleInboundEventSource<LogPipeline> events =
      new SimpleInboundEventSource<>("autoscaler");
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "logpipe-autoscaler");
            t.setDaemon(true);
            return t;
          });
  private long round;

  /**
   * @param client looks up HPAs and ScaledObjects; null skips that (benchmarks)
   */
  public Autoscaler(KubernetesClient client, AutoscalerMetrics metrics, Clock clock) {
    this.storage = new ClickHousePing();
    this.external = client == null ? null : new ExternalScalers(client, clock);
    this.metrics = metrics;
    this.clock = clock;
  }

  public void start() {
    scheduler.scheduleWithFixedDelay(
        this::measureSafely, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The event source through which the autoscaler asks for a pipeline's reconciliation. */
  public SimpleInboundEventSource<LogPipeline> eventSource() {
    return events;
  }

  /**
   * Starts or updates autoscaling of one pipeline.
   *
   * @param sinkAvailable whether the pipeline's storage was ready at its last status
   */
  public void track(ResourceID id, AutoscaleTarget target, boolean sinkAvailable) {
    PipelineScaleState state = tracked.get(id);
    if (state == null) {
      PipelineScaleState created = new PipelineScaleState(target, sinkAvailable, clock.instant());
      state = tracked.computeIfAbsent(id, k -> created);
      if (state == created) {
        meters.put(id, metrics.register(target.namespace(), target.name(), created::view));
        LOG.info(
            "event=autoscaling_tracked namespace={} pipeline={} desired={}",
            target.namespace(),
            target.name(),
            created.view().desired());
        return;
      }
    }
    state.retarget(target);
    state.sinkAvailable(sinkAvailable);
  }

  /** Whether StorageReady is True; while not, the autoscaler does not scale up. */
  public void sinkAvailable(ResourceID id, boolean available) {
    PipelineScaleState state = tracked.get(id);
    if (state != null) {
      state.sinkAvailable(available);
    }
  }

  /** Stops autoscaling one pipeline (autoscaling switched off, pipeline rejected or deleted). */
  public void forget(ResourceID id) {
    if (tracked.remove(id) != null) {
      List<Meter> m = meters.remove(id);
      if (m != null) {
        metrics.remove(m);
      }
    }
  }

  public Optional<AutoscaleView> view(ResourceID id) {
    PipelineScaleState state = tracked.get(id);
    return state == null ? Optional.empty() : Optional.of(state.view());
  }

  /** How many pipelines are autoscaled now. */
  public int size() {
    return tracked.size();
  }

  /** Admin requests sent so far by the lag reader (benchmarks). */
  public long adminRequests() {
    return reader.requestsSent();
  }

  private void measureSafely() {
    long started = System.nanoTime();
    try {
      measureAll();
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      if (tookMillis > SLOW_ROUND_MILLIS) {
        // The next round starts a period after this one ends: a slow round delays every decision.
        LOG.warn("event=autoscaler_round_slow took_ms={} pipelines={}", tookMillis, tracked.size());
      }
    } catch (RuntimeException e) {
      // The scheduler would stop for good on a thrown exception.
      LOG.warn("event=autoscaler_round_failed message=\"{}\"", e.getMessage());
    }
  }

  /** One round: every tracked pipeline measured and decided. Public for the benchmark. */
  public void measureAll() {
    round++;
    Instant now = clock.instant();
    Map<ResourceID, PipelineScaleState> snapshot = new HashMap<>(tracked);
    if (external != null) {
      boolean all = (round - 1) % EXTERNAL_CHECK_EVERY == 0;
      checkExternal(snapshot, s -> all || !s.externalChecked());
    }
    Map<String, List<Map.Entry<ResourceID, PipelineScaleState>>> byServer =
        snapshot.entrySet().stream()
            .collect(Collectors.groupingBy(e -> e.getValue().target().bootstrapServers()));
    reader.retain(byServer.keySet());
    // Every ClickHouse pinged once, concurrently, while Kafka is read; awaited before any decision
    // and outside every pipeline's lock, so neither a hung server nor many of them holds up a
    // reconcile or the round for longer than the ping timeout.
    CompletableFuture<Map<String, Boolean>> pings =
        storage.pingAll(snapshot.values().stream().map(s -> s.target().clickHouseUrl()).toList());
    Predicate<String> reachable = null;
    for (var server : byServer.entrySet()) {
      List<KafkaLagReader.Target> targets = new ArrayList<>();
      server.getValue().forEach(e -> targets.add(e.getValue().target().lagTarget()));
      Map<KafkaLagReader.Target, KafkaLagReader.Offsets> offsets;
      try {
        offsets = reader.read(server.getKey(), targets);
      } catch (KafkaLagReader.KafkaReadException e) {
        LOG.warn(
            "event=lag_unavailable bootstrap={} message=\"{}\"", server.getKey(), e.getMessage());
        server.getValue().forEach(p -> notify(p.getKey(), p.getValue().unknown(e.getMessage())));
        continue;
      }
      if (reachable == null) {
        reachable = answered(pings);
      }
      for (var p : server.getValue()) {
        PipelineScaleState state = p.getValue();
        KafkaLagReader.Offsets o = offsets.get(state.target().lagTarget());
        if (o == null) {
          notify(
              p.getKey(), state.unknown("topic " + state.target().topic() + " does not exist yet"));
          continue;
        }
        int before = state.view().desired();
        if (state.measured(o, now, reachable)) {
          AutoscaleView v = state.view();
          if (v.desired() != before) {
            LOG.info(
                "event=scale namespace={} pipeline={} from={} to={} lagRecords={} lagSeconds={}"
                    + " reason=\"{}\"",
                state.target().namespace(),
                state.target().name(),
                before,
                v.desired(),
                v.lag().lagRecords(),
                v.lag().lagSeconds(),
                v.lastScaleReason());
          }
          notify(p.getKey(), true);
        }
      }
    }
  }

  private static Predicate<String> answered(CompletableFuture<Map<String, Boolean>> pings) {
    Map<String, Boolean> answers;
    try {
      answers = pings.get(ClickHousePing.TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      answers = Map.of(); // each ping completes on its own timeout; this is only a safety net
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answers = Map.of();
    }
    Map<String, Boolean> known = answers;
    return url -> {
      String key = ClickHousePing.key(url);
      return key == null || known.getOrDefault(key, false);
    };
  }

  private void checkExternal(
      Map<ResourceID, PipelineScaleState> snapshot, Predicate<PipelineScaleState> due) {
    Set<String> namespaces =
        snapshot.values().stream()
            .filter(due)
            .map(s -> s.target().namespace())
            .collect(Collectors.toSet());
    for (String ns : namespaces) {
      Map<String, String> scalers;
      try {
        scalers = external.in(ns);
      } catch (RuntimeException e) {
        LOG.warn(
            "event=external_scaler_check_failed namespace={} message=\"{}\"", ns, e.getMessage());
        continue;
      }
      snapshot.forEach(
          (id, s) -> {
            if (ns.equals(s.target().namespace())) {
              notify(id, s.externalScaler(scalers.get(s.target().deployment())));
            }
          });
    }
  }

  private void notify(ResourceID id, boolean changed) {
    // Not running: the operator has not started its event sources (or a benchmark has none).
    if (changed && tracked.containsKey(id) && events.isRunning()) {
      events.propagateEvent(id);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reader.close();
    // A new autoscaler in the same registry (an operator restarted in-process) must get gauges of
    // its own, not the closed one's.
    meters.values().forEach(metrics::remove);
    meters.clear();
  }
}
