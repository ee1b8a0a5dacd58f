package dev.logpipe.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Two workers in one consumer group while events flow: one joins, the other leaves, partitions move
 * both times, and every (partition, offset) is stored exactly once. Dynamic membership (no {@code
 * group.instance.id}), so partitions move as soon as a member joins or leaves.
 */
@WithDevServices
class RebalanceIT {
  private static final int PARTITIONS = 6;
  private static final int TOTAL = 60_000;

  @Test
  void aWorkerJoiningAndAnotherLeavingMidFlowStoreEveryPositionExactlyOnce(DevServices services)
      throws Exception {
    TestPipeline pipeline = TestPipeline.create(services, "rebalance", false, null, PARTITIONS);
    assertThat(pipeline.config().kafka().clientProperties()).isNull();
    try (LogGenerator generator =
        new LogGenerator(services.kafkaBootstrap(), pipeline.topic(), 0)) {
      CompletableFuture<Void> producing = generator.sendPaced(TOTAL, 60, Duration.ofMillis(300));
      RunningWorker a = new RunningWorker(pipeline.config());
      RunningWorker b;
      double storedByA;
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.storedRows() >= 10_000);
        b = new RunningWorker(pipeline.config());
        // B has taken partitions from A and stored from them.
        await().atMost(Duration.ofSeconds(30)).until(() -> b.command().metrics().storedTotal() > 0);
        assertThat(producing).as("B joined while events were flowing").isNotDone();
      } finally {
        a.close();
        storedByA = a.command().metrics().storedTotal();
      }
      try (b) {
        assertThat(producing).as("A left while events were flowing").isNotDone();
        producing.get();
        await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.storedRows() >= TOTAL);
        assertThat(pipeline.storedRows()).isEqualTo(TOTAL);
        assertThat(pipeline.duplicatePositions()).isZero();
        assertThat(pipeline.scalar("SELECT uniqExact(_partition, _offset) FROM logs_it.rebalance"))
            .isEqualTo(TOTAL);
        assertThat(pipeline.scalar("SELECT uniqExact(trace_id) FROM logs_it.rebalance"))
            .isEqualTo(TOTAL);
        // Each row was inserted once: no batch had to be replayed or deduplicated.
        assertThat(storedByA + b.command().metrics().storedTotal()).isEqualTo(TOTAL);
        assertThat(storedByA).isBetween(10_000.0, TOTAL - 1.0);
        // B owns every partition now and has committed all of it.
        await().atMost(Duration.ofSeconds(10)).until(pipeline::everythingCommitted);
        assertThat(pipeline.endOffsets().values().stream().mapToLong(Long::longValue).sum())
            .isEqualTo(TOTAL);
      }
    }
  }
}
