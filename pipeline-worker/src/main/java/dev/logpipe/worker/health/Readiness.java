package dev.logpipe.worker.health;

import dev.logpipe.worker.api.HealthServer;
import dev.logpipe.worker.consume.ConsumerLoop;
import java.time.Duration;

/**
 * {@code /readyz} of the consume mode: ready only while the loop runs, ClickHouse and Kafka answer
 * their probes, and no batch has been storing for longer than {@code storeBound}. The reason names
 * the root cause ("ClickHouse unreachable: Connection refused"), the backend first, because a
 * failing store is usually its consequence.
 */
public final class Readiness {
  private final ConsumerLoop loop;
  private final ClickHouseProbe clickHouse;
  private final KafkaLagProbe kafka;
  private final Duration storeBound;

  public Readiness(
      ConsumerLoop loop, ClickHouseProbe clickHouse, KafkaLagProbe kafka, Duration storeBound) {
    this.loop = loop;
    this.clickHouse = clickHouse;
    this.kafka = kafka;
    this.storeBound = storeBound;
  }

  public HealthServer.Check check() {
    ConsumerLoop.State state = loop.state();
    if (state == ConsumerLoop.State.STARTING) {
      return notReady("starting");
    }
    if (state == ConsumerLoop.State.STOPPED) {
      return notReady("stopped");
    }
    BackendStatus ch = clickHouse.status();
    // A batch stored after the failed probe began shows ClickHouse answering (a probe can time out
    // behind a long insert on a busy server): readiness then follows the stores, not the probe.
    long stored = loop.lastStoredNanos();
    boolean storedSince = stored != 0 && stored - ch.checkedAtNanos() > 0;
    if (!ch.ok() && !storedSince) {
      return notReady(ch.reason());
    }
    BackendStatus k = kafka.status();
    if (!k.ok()) {
      return notReady(k.reason());
    }
    long storing = loop.storeInFlightNanos();
    if (storing > storeBound.toNanos()) {
      return notReady(
          "a batch has been storing for "
              + storing / 1_000_000_000L
              + " s (bound "
              + storeBound.toSeconds()
              + " s): ClickHouse is not answering in time");
    }
    if (state == ConsumerLoop.State.STORE_FAILING) {
      return notReady("cannot store: " + loop.lastError());
    }
    return new HealthServer.Check(true, "consuming");
  }

  private static HealthServer.Check notReady(String reason) {
    return new HealthServer.Check(false, reason);
  }
}
