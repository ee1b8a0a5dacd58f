package dev.logpipe.worker.health;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the ClickHouse and Kafka probes on two threads of their own (a hung ClickHouse must not
 * delay the Kafka measurement), every second, and every 250 ms while a backend is failing so that
 * its return is seen at once. Logs each change of a backend's status, once.
 */
public final class BackendMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackendMonitor.class);
  static final long HEALTHY_INTERVAL_MS = 1_000;
  static final long FAILING_INTERVAL_MS = 250;

  private final ClickHouseProbe clickHouse;
  private final KafkaLagProbe kafka;
  private final String pipeline;
  private final ScheduledExecutorService threads =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "backend-monitor");
            t.setDaemon(true);
            return t;
          });

  public BackendMonitor(ClickHouseProbe clickHouse, KafkaLagProbe kafka, String pipeline) {
    this.clickHouse = clickHouse;
    this.kafka = kafka;
    this.pipeline = pipeline;
  }

  public BackendMonitor start() {
    schedule("clickhouse", clickHouse::probe, 0, true);
    schedule("kafka", kafka::probe, 0, true);
    return this;
  }

  private void schedule(String name, Supplier<BackendStatus> probe, long delayMs, boolean wasOk) {
    if (threads.isShutdown()) {
      return;
    }
    threads.schedule(
        () -> {
          boolean ok = wasOk;
          try {
            BackendStatus status = probe.get();
            if (status.ok() != wasOk) {
              if (status.ok()) {
                LOG.info("event=backend_recovered pipeline={} backend={}", pipeline, name);
              } else {
                LOG.warn(
                    "event=backend_unhealthy pipeline={} backend={} reason=\"{}\"",
                    pipeline,
                    name,
                    status.reason());
              }
            }
            ok = status.ok();
          } catch (RuntimeException e) {
            LOG.warn("event=probe_failed pipeline={} backend={}", pipeline, name, e);
          } finally {
            schedule(name, probe, ok ? HEALTHY_INTERVAL_MS : FAILING_INTERVAL_MS, ok);
          }
        },
        delayMs,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
