package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.api.v1alpha1.BatchSpec;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.testing.TestingLogpipe;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 20 spec edits in a few seconds on a real API server: the status ends at the last generation and
 * Ready, and the operator does not loop: its writes to the LogPipeline (status, finalizer) stay
 * bounded during the churn and stop once it settled, across a full resync period.
 */
@WithDevServices({DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS})
class GenerationChurnIT {
  private static final String NS = "team-churn";
  private static final int EDITS = 20;
  private static final java.util.List<String> overCounted =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private static final Duration RESYNC = Duration.ofSeconds(10);
  private static TestingLogpipe env;

  @BeforeAll
  static void start(DevServices services) {
    env = TestingLogpipe.onRealServer();
    env.namespace(NS, true);
    env.defaultBackend(services);
  }

  @AfterAll
  static void stop() {
    env.close();
  }

  @Test
  void twentyQuickEditsEndAtTheLastGenerationWithoutAHotLoop() {
    env.pipeline(NS, "churn", s -> {});
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              env.children().markTopicsReady(STRIMZI_NS);
              assertThat(isTrue(env.get(NS, "churn"), "Ready")).isTrue();
            });

    // Writes that leave the generation alone are the operator's (status, finalizer): the test
    // only edits the spec.
    AtomicInteger operatorWrites = new AtomicInteger();
    AtomicLong generation = new AtomicLong(env.get(NS, "churn").getMetadata().getGeneration());
    try (Watch watch =
        env.client()
            .resources(LogPipeline.class)
            .inNamespace(NS)
            .withName("churn")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, LogPipeline p) {
                    long g = p.getMetadata().getGeneration();
                    var w = p.getStatus() == null ? null : p.getStatus().getWorkers();
                    if (w != null
                        && w.getReady() != null
                        && w.getDesired() != null
                        && w.getReady() > w.getDesired()) {
                      overCounted.add(summary(p));
                    }
                    if (action == Action.MODIFIED && generation.getAndSet(g) == g) {
                      operatorWrites.incrementAndGet();
                      System.out.println("event=operator_write " + summary(p));
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      long started = System.nanoTime();
      System.out.println("event=churn_started");
      for (int i = 1; i <= EDITS; i++) {
        int rows = 10_000 + i;
        env.edit(
            NS,
            "churn",
            s -> {
              if (s.getBatch() == null) {
                s.setBatch(new BatchSpec());
              }
              s.getBatch().setMaxRows(rows);
            });
      }
      Duration editing = Duration.ofNanos(System.nanoTime() - started);
      long last = env.get(NS, "churn").getMetadata().getGeneration();
      assertThat(last).isGreaterThanOrEqualTo(1 + EDITS);

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                LogPipeline p = env.get(NS, "churn");
                assertThat(p.getStatus().getObservedGeneration()).isEqualTo(last);
                assertThat(isTrue(p, "Ready")).isTrue();
              });
      // The last rollout finished too (old pods gone), so the quiet window sees no real change.
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                var d =
                    env.client()
                        .apps()
                        .deployments()
                        .inNamespace(NS)
                        .withName("churn-worker")
                        .get();
                assertThat(d.getStatus().getObservedGeneration())
                    .isEqualTo(d.getMetadata().getGeneration());
                assertThat(d.getStatus().getReplicas()).isEqualTo(d.getSpec().getReplicas());
                assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(d.getSpec().getReplicas());
              });
      int duringChurn = operatorWrites.get();
      System.out.println("event=churn_settled");

      // Quiet: more than a resync period with no edit; a loop would keep writing.
      await().atMost(RESYNC.plusSeconds(10)).pollDelay(RESYNC.plusSeconds(5)).until(() -> true);
      int afterSettling = operatorWrites.get() - duringChurn;
      System.out.printf(
          "event=generation_churn edits=%d editing_ms=%d operator_writes=%d quiet_writes=%d%n",
          EDITS, editing.toMillis(), duringChurn, afterSettling);
      // At most one status write per edit plus the rollout's few (workers progressing, ready).
      assertThat(duringChurn).isLessThanOrEqualTo(EDITS + 6);
      // The real Deployment controller counts a rollout's old pods as ready too: never reported.
      assertThat(overCounted).isEmpty();
      // A loop writes on every reconcile (tens in this window); a worker pod's readiness report
      // landing late may still change the status once.
      assertThat(afterSettling).isLessThanOrEqualTo(1);
      assertThat(env.get(NS, "churn").getStatus().getObservedGeneration()).isEqualTo(last);
    }
  }

  private static String summary(LogPipeline p) {
    StringBuilder out =
        new StringBuilder("rv=" + p.getMetadata().getResourceVersion())
            .append(" finalizers=")
            .append(p.getMetadata().getFinalizers());
    if (p.getStatus() != null) {
      out.append(" observed=").append(p.getStatus().getObservedGeneration());
      p.getStatus()
          .getConditions()
          .forEach(
              c ->
                  out.append(' ')
                      .append(c.getType())
                      .append('=')
                      .append(c.getStatus())
                      .append('/')
                      .append(c.getReason())
                      .append("(\"")
                      .append(c.getMessage())
                      .append("\")"));
    }
    return out.toString();
  }
}
