package dev.logpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.operator.autoscale.Autoscaler;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.sandbox.pods.StoppedPod;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15's proof on the real control plane with real worker replicas: the operator's lag-based
 * autoscaler sizes a worker Deployment whose pods the sandbox's node agent runs as pipeline-worker
 * processes, against real Kafka and ClickHouse (chDB).
 *
 * <p>Scenario: 6 partitions, autoscaling 1..6; a steady 500 events/s runs on 1 replica; then a
 * burst of {@value #BURST} events into the 6 partitions while the steady stream goes on. Checked:
 * the steady rate does not scale; the burst scales up within 30 s; spec.replicas and the worker
 * processes never exceed the partitions; at most 2 scale changes per direction; the operator's lag
 * seconds back under the target within {@link #LAG_BOUND} (the figure is printed); back to
 * minReplicas no sooner than the scale-down window after the scale-up; every worker removed by the
 * scale-down stopped through SIGTERM (exit 0 within its grace period, its stop logged); and every
 * event stored exactly once across all the scale changes: count() == uniqExact(trace_id) ==
 * produced, the ids exactly 0..produced-1.
 *
 * <p>Why {@value #BURST} and not 300,000, and why each worker is limited to {@code cpu: 250m} (a
 * real {@code resources.limits} the node agent enforces like the CFS quota): one worker without a
 * limit stored 46,000-56,000 rows/s while the 2-core build machine was busy and drained even
 * 1,200,000 events between two 10 s measurements once it was quiet, so the operator saw the burst
 * only sometimes and the test failed 3 times in 10 runs. With the limit, one worker is as slow as a
 * small pod on a cluster whatever else the machine does, and the burst outlasts the first
 * measurement. (Six workers do not drain much faster than one here: the single chDB process and the
 * 2 shared cores are the bottleneck. So this proves the control loop and exactly-once across scale
 * changes, not a speed-up.) Nothing is faked: the lag is real records waiting in Kafka and the
 * decision is the operator's.
 *
 * <p>It fails without the operator's autoscaler (replicas stay 1: no scale-up within 30 s).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxAutoscalingIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final String NS = "team-payments";
  static final String NAME = "bursty";
  static final PipelineNames NAMES = PipelineNames.of(NS, NAME, "logs_");
  static final int PARTITIONS = 6;
  static final int STEADY_PER_SECOND = 500;
  static final int BURST = 1_200_000;
  static final int TARGET_LAG_SECONDS = 10;
  static final long TARGET_LAG_RECORDS = 50_000;
  // The production default is 300 s; 30 s keeps the test near 4 minutes while the window still
  // spans three measurements (10 s period), which is what the stabilisation rule is about.
  static final int DOWN_WINDOW_SECONDS = 30;
  static final Duration SCALE_UP_BOUND = Duration.ofSeconds(30);
  static final Duration LAG_BOUND = Duration.ofSeconds(120);
  static final long PERIOD = Autoscaler.PERIOD.toSeconds();

  @TempDir static Path dir;
  static Sandbox sandbox;

  @BeforeAll
  static void start() {
    SandboxOptions options = new SandboxOptions(REPO, dir, null, 0, 0, false, false);
    sandbox = new Sandbox(options).start(s -> System.out.println("sandbox: " + s));
  }

  /**
   * The next case starts on a machine its predecessor no longer loads: its pipeline deleted and
   * every worker process of it gone, also when it failed half-way.
   */
  @AfterEach
  void deletePipelines() {
    System.out.println(
        "operator restarts after a lost Lease so far: " + sandbox.operatorRestarts());
    sandbox
        .client()
        .genericKubernetesResources("logpipe.dev/v1alpha1", "LogPipeline")
        .inNamespace(NS)
        .delete();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> sandbox.pods().pods().stream().noneMatch(p -> p.namespace().equals(NS)));
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  @Order(1)
  void aBurstScalesWorkersUpAndBackWithEveryEventStoredOnce() throws Exception {
    try (SequencedLogProducer producer =
            new SequencedLogProducer(
                sandbox.services().kafkaBootstrap(), NAMES.topic(), PARTITIONS);
        ScaleTimeline timeline = new ScaleTimeline(sandbox, NS, NAME, NAMES.workerDeployment())) {
      apply(sandbox, NAME);
      PipelineWatch pipeline = new PipelineWatch(sandbox.client(), NS, NAME);
      ClickHouseStats clickhouse = sandbox.clickHouseStats();
      await()
          .atMost(Duration.ofSeconds(150))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> pipeline.ready() && readyWorkers(NAME) == 1);

      // Steady: 500 events/s for two measurements or more, on one replica.
      producer.startSteady(STEADY_PER_SECOND);
      Instant steady = Instant.now();
      try {
        await()
            .atMost(Duration.ofSeconds(4 * PERIOD))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> timeline.lagMeasurements(steady.plusSeconds(1)).size() >= 2);
      } catch (ConditionTimeoutException e) {
        System.out.println("no measurements: " + timeline.last() + "\n" + autoscalerThread());
        throw e;
      }
      assertThat(timeline.changes(steady)).as("scale changes at a steady 500/s").isEmpty();
      assertThat(timeline.last().lagSeconds()).isLessThan(TARGET_LAG_SECONDS);
      System.out.println("steady: lag measurements " + timeline.lagMeasurements(steady));

      // The burst, into all partitions, while the steady stream goes on.
      Instant burst = Instant.now();
      producer.burst(BURST);
      long lastOfBurst = producer.produced() - 1;
      System.out.printf(
          "burst: %,d events acknowledged in %d ms%n",
          BURST, Duration.between(burst, Instant.now()).toMillis());
      try {
        await()
            .atMost(SCALE_UP_BOUND.minus(Duration.between(burst, Instant.now())))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> timeline.last().specReplicas() > 1);
      } catch (ConditionTimeoutException e) {
        // What the operator saw and said, for whoever reads a failed run.
        System.out.println(
            "no scale-up: lag measurements "
                + timeline.lagMeasurements(steady)
                + ", Autoscaling "
                + pipeline.conditions().get("Autoscaling")
                + ", worker pods "
                + sandbox.pods().pods()
                + "\n"
                + autoscalerThread());
        throw e;
      }
      Instant scaledUp = Instant.now();
      System.out.printf(
          "scale-up: spec.replicas %d, %d ms after the burst began%n",
          timeline.last().specReplicas(), Duration.between(burst, scaledUp).toMillis());

      // Every event of the burst stored (ground truth, from the table), and the operator's lag
      // seconds back under the target.
      await()
          .atMost(LAG_BOUND)
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> StoredIds.storedUpTo(clickhouse, NAMES, lastOfBurst) == lastOfBurst + 1);
      Instant drained = Instant.now();
      await()
          .atMost(LAG_BOUND.minus(Duration.between(burst, Instant.now())))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  timeline.lagMeasurements(drained).stream()
                      .anyMatch(s -> s.lagSeconds() < TARGET_LAG_SECONDS));
      Instant lagBack = Instant.now();
      System.out.printf(
          "burst stored %d ms after it began; operator's lag seconds under the target %d s"
              + " after it began; peak workers %d; lag measurements since the burst %s%n",
          Duration.between(burst, drained).toMillis(),
          Duration.between(burst, lagBack).toSeconds(),
          timeline.maxSpecReplicas(),
          timeline.lagMeasurements(burst));

      // Back to minReplicas after the window, and the removed workers' processes gone.
      await()
          .atMost(Duration.ofSeconds(DOWN_WINDOW_SECONDS + 6 * PERIOD))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> timeline.last().specReplicas() == 1);
      Instant scaledDown = Instant.now();
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> timeline.last().workerProcesses() == 1 && readyWorkers(NAME) == 1);
      System.out.printf(
          "scale-down to 1: %d s after the scale-up, %d s after the lag was back under target%n",
          Duration.between(scaledUp, scaledDown).toSeconds(),
          Duration.between(lagBack, scaledDown).toSeconds());
      // The first recommendation of more workers stays in the window for its whole length.
      assertThat(Duration.between(scaledUp, scaledDown))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(DOWN_WINDOW_SECONDS - 1));

      producer.stopSteady();
      assertThat(producer.flushed()).isTrue();
      assertThat(producer.failed()).as("sends Kafka refused").isEmpty();
      long produced = producer.produced();
      StoredIds.assertExactlyOnce(clickhouse, NAMES, produced);

      List<ScaleTimeline.Change> changes = timeline.changes(steady);
      System.out.println(
          "replicas seen: "
              + timeline.replicasSeen()
              + ", changes "
              + changes
              + ", peak worker processes "
              + timeline.maxWorkerProcesses());
      assertThat(timeline.maxSpecReplicas()).as("spec.replicas peak").isBetween(2, PARTITIONS);
      assertThat(timeline.maxWorkerProcesses())
          .as("worker processes the node agent ran at once")
          .isLessThanOrEqualTo(PARTITIONS);
      assertThat(changes.stream().filter(ScaleTimeline.Change::up).count()).isBetween(1L, 2L);
      assertThat(changes.stream().filter(c -> !c.up()).count()).isBetween(1L, 2L);
      assertScaleDownUsedSigterm(timeline.maxSpecReplicas() - 1);
      Object reason = pipeline.status("workers.lastScaleReason");
      assertThat(String.valueOf(reason)).contains("scaled down from");
      PipelineWatch.Condition autoscaling = pipeline.conditions().get("Autoscaling");
      assertThat(autoscaling.status()).as(autoscaling.toString()).isEqualTo("True");
    }
  }

  /**
   * A burst while ClickHouse is down is not scaled up (more workers cannot store into a dead
   * server): the operator keeps measuring, holds the replicas and says why in the Autoscaling
   * condition; once ClickHouse is back the workers store the burst exactly once. The burst starts
   * with the outage, before any reconcile has turned StorageReady False: it failed (scaled to 6)
   * while the hold followed StorageReady alone.
   */
  @Test
  @Order(2)
  void aBurstDuringAClickHouseOutageIsNotScaledUp() throws Exception {
    Assumptions.assumeFalse(
        sandbox.clickHouse().isExternal(), "an external ClickHouse cannot be killed by the test");
    String name = "held";
    PipelineNames names = PipelineNames.of(NS, name, "logs_");
    try (SequencedLogProducer producer =
            new SequencedLogProducer(
                sandbox.services().kafkaBootstrap(), names.topic(), PARTITIONS);
        ScaleTimeline timeline = new ScaleTimeline(sandbox, NS, name, names.workerDeployment())) {
      apply(sandbox, name);
      PipelineWatch pipeline = new PipelineWatch(sandbox.client(), NS, name);
      ClickHouseStats clickhouse = sandbox.clickHouseStats();
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> pipeline.ready() && readyWorkers(name) == 1);

      // The burst begins as ClickHouse dies: StorageReady, which follows the reconciles, still
      // says True for up to a minute, so the autoscaler must find out by itself (it pings the
      // server before scaling up).
      sandbox.clickHouse().kill();
      Instant killed = Instant.now();
      producer.burst(300_000);
      Instant burst = Instant.now();
      await()
          .atMost(Duration.ofSeconds(3 * PERIOD))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> "ScaleUpHeld".equals(condition(pipeline, "Autoscaling").reason()));
      PipelineWatch.Condition held = condition(pipeline, "Autoscaling");
      System.out.printf(
          "outage: %s %d s after ClickHouse was killed; StorageReady then: %s%n",
          held,
          Duration.between(killed, Instant.now()).toSeconds(),
          condition(pipeline, "StorageReady").status());
      assertThat(held.status()).isEqualTo("False");
      assertThat(held.message())
          .contains("asks for 6 workers, but storage is unavailable", "kept at 1");
      // Two more measurements: still one worker.
      await()
          .during(Duration.ofSeconds(2 * PERIOD))
          .atMost(Duration.ofSeconds(2 * PERIOD + 5))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> timeline.last().specReplicas() == 1);
      assertThat(timeline.changes(burst)).as("scale changes during the outage").isEmpty();
      assertThat(timeline.maxWorkerProcesses()).isEqualTo(1);

      sandbox.clickHouse().start();
      StoredIds.assertExactlyOnce(clickhouse, names, producer.produced());
      assertThat(producer.failed()).isEmpty();
    }
  }

  /** Where the operator's measuring thread is (it runs in this JVM): a stalled round shows here. */
  private static String autoscalerThread() {
    StringBuilder out = new StringBuilder();
    Thread.getAllStackTraces()
        .forEach(
            (t, stack) -> {
              if (t.getName().equals("logpipe-autoscaler")) {
                out.append(t.getName()).append(' ').append(t.getState()).append('\n');
                for (StackTraceElement e : stack) {
                  out.append("    at ").append(e).append('\n');
                }
              }
            });
    return out.length() == 0 ? "no logpipe-autoscaler thread" : out.toString();
  }

  private static PipelineWatch.Condition condition(PipelineWatch pipeline, String type) {
    PipelineWatch.Condition c = pipeline.conditions().get(type);
    return c == null ? new PipelineWatch.Condition(type, "Unknown", "", "") : c;
  }

  /** Every worker the scale-down removed got SIGTERM, stored and committed, and exited 0. */
  private static void assertScaleDownUsedSigterm(int removed) throws Exception {
    List<StoppedPod> stopped =
        sandbox.pods().stopped().stream()
            .filter(p -> p.namespace().equals(NS) && p.name().startsWith(NAMES.workerDeployment()))
            .toList();
    System.out.println("stopped worker pods: " + stopped);
    assertThat(stopped).as("worker pods stopped by the scale-down").hasSize(removed);
    for (StoppedPod pod : stopped) {
      assertThat(pod.exitCode()).as(pod + " exit code (137 would be SIGKILL)").isZero();
      assertThat(pod.grace()).as("the pod's grace period").isEqualTo(Duration.ofSeconds(60));
      assertThat(pod.took()).isLessThan(pod.grace());
      String log =
          Files.readString(
              sandbox.pods().baseDir().resolve(NS).resolve(pod.name()).resolve("worker.log"));
      assertThat(log).as(pod.name() + " log").contains("event=worker_stopped");
      assertThat(log).as(pod.name() + " log").doesNotContain("event=shutdown_unflushed");
    }
  }

  private static long readyWorkers(String name) {
    return sandbox.pods().pods().stream()
        .filter(
            p ->
                p.component().equals("worker")
                    && p.name().startsWith(name + "-worker-")
                    && p.ready())
        .count();
  }

  private static void apply(Sandbox sandbox, String name) {
    String yaml =
        """
        apiVersion: logpipe.dev/v1alpha1
        kind: LogPipeline
        metadata:
          name: %s
          namespace: %s
        spec:
          backend: default
          topic:
            partitions: %d
          format:
            type: json
            fields:
              timestamp: ts
              level: severity
              service: app
              message: msg
              trace_id: seq
          workers:
            resources:
              limits:
                cpu: 250m
            autoscaling:
              minReplicas: 1
              maxReplicas: %d
              targetLagSeconds: %d
              targetLagRecordsPerReplica: %d
              scaleDownStabilizationSeconds: %d
        """
            .formatted(
                name,
                NS,
                PARTITIONS,
                PARTITIONS,
                TARGET_LAG_SECONDS,
                TARGET_LAG_RECORDS,
                DOWN_WINDOW_SECONDS);
    GenericKubernetesResource lp =
        sandbox
            .client()
            .getKubernetesSerialization()
            .unmarshal(yaml, GenericKubernetesResource.class);
    sandbox.client().resource(lp).fieldManager("team-payments").serverSideApply();
  }
}
