package dev.logpipe.sandbox;

import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.sandbox.generator.LogGenerator;
import dev.logpipe.sandbox.pods.PodInfo;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the person at the terminal sees: steps, conditions turning, then a line every 5 s. */
final class Progress {
  private final PrintStream out;
  private final long startedMs;
  private final boolean console = System.console() != null;

  Progress(PrintStream out, long startedMs) {
    this.out = out;
    this.startedMs = startedMs;
  }

  long startedMs() {
    return startedMs;
  }

  void step(String what) {
    out.printf("[%6.1fs] %s%n", elapsed(), what);
  }

  /** Prints each condition as it changes, and a waiting line meanwhile; true once Ready. */
  boolean awaitReady(PipelineWatch pipeline, Duration timeout) throws InterruptedException {
    Map<String, String> seen = new HashMap<>();
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    long lastLine = 0;
    while (System.currentTimeMillis() < deadline) {
      Map<String, PipelineWatch.Condition> conditions = pipeline.conditions();
      for (PipelineWatch.Condition c : conditions.values()) {
        String state = c.status() + "/" + c.reason();
        if (!state.equals(seen.put(c.type(), state))) {
          clearLine();
          step(
              (c.status().equals("True") ? "  \u2713 " : "  \u2026 ")
                  + c.type()
                  + "="
                  + c.status()
                  + " ("
                  + c.reason()
                  + "): "
                  + c.message());
        }
      }
      PipelineWatch.Condition ready = conditions.get("Ready");
      if (ready != null && ready.status().equals("True")) {
        step(
            String.format(
                "pipeline team-payments/payments is Ready %.1f s after the command started;"
                    + " sandbox memory %d MiB (RSS, JVM + children)",
                elapsed(), MemoryUsage.totalRssMib()));
        return true;
      }
      long now = System.currentTimeMillis();
      if (console) {
        out.printf("\r[%6.1fs] waiting for Ready ...", elapsed());
      } else if (now - lastLine > 10_000) {
        step("waiting for Ready ...");
        lastLine = now;
      }
      Thread.sleep(500);
    }
    return false;
  }

  /** Every 5 s until {@code endMs}: rows stored and their rate, anomalies, generator, pods. */
  ClickHouseStats.Stats report(
      Sandbox sandbox, PipelineWatch pipeline, LogGenerator generator, long endMs)
      throws InterruptedException {
    PipelineNames names = PipelineNames.of("team-payments", "payments", "logs_");
    ClickHouseStats clickhouse = sandbox.clickHouseStats();
    ClickHouseStats.Stats last = ClickHouseStats.Stats.NONE;
    long lastMs = System.currentTimeMillis();
    while (endMs - System.currentTimeMillis() >= 1000) {
      Thread.sleep(Math.min(5000, endMs - System.currentTimeMillis()));
      ClickHouseStats.Stats now = clickhouse.of(names.database(), names.table());
      long ms = System.currentTimeMillis();
      double perSecond = (now.rows() - last.rows()) * 1000.0 / Math.max(1, ms - lastMs);
      List<PodInfo> pods = sandbox.pods().pods();
      long ready = pods.stream().filter(PodInfo::ready).count();
      String burst =
          generator == null || generator.burstingService() == null
              ? ""
              : "; burst from " + generator.burstingService() + " now";
      step(
          String.format(
              "rows stored %,d (%.0f/s) | anomalies %,d (error bursts %,d) | pods ready %d/%d | ready %s%s",
              now.rows(),
              perSecond,
              now.anomalies(),
              now.burstAnomalies(),
              ready,
              pods.size(),
              pipeline.ready(),
              burst));
      last = now;
      lastMs = ms;
    }
    return last;
  }

  private void clearLine() {
    if (console) {
      out.print("\r\u001b[2K");
    }
  }

  private double elapsed() {
    return (System.currentTimeMillis() - startedMs) / 1000.0;
  }
}
