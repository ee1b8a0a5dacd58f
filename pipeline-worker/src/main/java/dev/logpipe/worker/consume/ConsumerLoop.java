package dev.logpipe.worker.consume;

import dev.logpipe.worker.cache.RedisLiveView;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.detect.AnomalyScorer;
import dev.logpipe.worker.metrics.WorkerMetrics;
import dev.logpipe.worker.parse.LogParser;
import dev.logpipe.worker.sink.BatchLedger;
import dev.logpipe.worker.sink.ClickHouseBatchWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consume loop: poll → parse → score → batch, with the previous batch being stored by {@link
 * BatchStore} meanwhile; offsets are committed here, on the consumer's thread.
 *
 * <p>Delivery: every batch is recorded in the ledger (ranges, topic id, token) before it is
 * inserted; a batch's offsets are committed only after it is stored (and its dead-letter records
 * acknowledged); batches are stored one at a time, in order ({@link HeldBatches}). On assignment a
 * partition stays paused until {@link PartitionRecovery} has placed it after its latest ledger
 * entry (re-inserting that batch identically first if it was never confirmed), so replays after a
 * crash, a timeout or a rebalance never store a row twice ({@link PartitionGates}, {@link
 * RebalanceListener}). While ClickHouse is down every partition is paused and the failed batch is
 * retried with capped backoff and the same token ({@link StoreRetry}): memory stays at two batches,
 * nothing is committed that was not stored. {@link PartitionOwnership} decides what a late outcome
 * may still commit or retry.
 */
public final class ConsumerLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);

  /** What the loop needs to find and repair positions: ledger, topic ids, a range reader. */
  public record Recovery(BatchLedger ledger, TopicIncarnation incarnation, RangeReader ranges) {
    public static Recovery of(
        BatchLedger ledger,
        org.apache.kafka.clients.admin.Admin admin,
        java.util.function.Supplier<Consumer<byte[], byte[]>> rangeConsumers,
        String topic) {
      return new Recovery(
          ledger,
          new TopicIncarnation(admin, topic, Duration.ofSeconds(5)),
          new RangeReader(rangeConsumers, Duration.ofSeconds(60)));
    }
  }

  /** What the loop is doing, for readiness and status. */
  public enum State {
    STARTING,
    RUNNING,
    STORE_FAILING,
    STOPPED
  }

  private final PipelineConfig config;
  private final Consumer<byte[], byte[]> consumer;
  private final RecordHandler records;
  private final RedisLiveView liveView;
  private final WorkerMetrics metrics;
  private final String pipeline;
  private final PartitionOwnership ownership = new PartitionOwnership();
  private final LoopStatus status = new LoopStatus();
  private final OffsetCommitter committer;
  private final Recovery recovery;
  private final HeldBatches held;
  private final PartitionGates gates;
  private final RebalanceListener rebalance;
  private final Duration shutdownGrace;

  private volatile boolean stopping;
  private volatile long lastPollNanos = System.nanoTime();

  public ConsumerLoop(
      PipelineConfig config,
      Consumer<byte[], byte[]> consumer,
      LogParser parser,
      AnomalyScorer scorer,
      ClickHouseBatchWriter writer,
      Recovery recovery,
      DeadLetterPublisher deadLetters,
      RedisLiveView liveView,
      WorkerMetrics metrics,
      Duration shutdownGrace) {
    this.config = config;
    this.consumer = consumer;
    this.liveView = liveView;
    this.metrics = metrics;
    this.shutdownGrace = shutdownGrace;
    this.pipeline = config.pipeline().qualifiedName();
    this.recovery = recovery;
    this.records = new RecordHandler(parser, scorer, deadLetters, metrics);
    this.committer = new OffsetCommitter(consumer, ownership::all, pipeline);
    this.held =
        new HeldBatches(
            config,
            ownership,
            new BatchStore(writer, recovery.ledger(), deadLetters, pipeline),
            liveView);
    PartitionRecovery positions =
        new PartitionRecovery(
            pipeline,
            config.kafka().topic(),
            recovery.ledger(),
            writer,
            recovery.ranges(),
            (record, b) -> records.handle(record, System.currentTimeMillis(), b, false),
            metrics);
    this.gates =
        new PartitionGates(
            pipeline,
            config.kafka().topic(),
            consumer,
            ownership,
            held,
            recovery,
            positions,
            committer,
            status,
            metrics);
    this.rebalance =
        new RebalanceListener(
            pipeline, consumer, ownership, held, gates, recovery.incarnation(), () -> stopping);
  }

  @Override
  public void run() {
    consumer.subscribe(List.of(config.kafka().topic()), rebalance);
    status.state(State.RUNNING);
    try {
      while (!stopping) {
        try {
          step();
        } catch (WakeupException e) {
          if (!stopping) {
            throw e;
          }
        }
      }
      if (!held.drain(System.nanoTime() + shutdownGrace.toNanos(), this::collect)) {
        LOG.warn(
            "event=shutdown_unflushed pipeline={} note=\"not committed; the next owner re-reads them\"",
            pipeline);
      }
    } finally {
      status.state(State.STOPPED);
      // Leaving the group revokes the partitions (the callback uses the store): store closes last.
      consumer.close(Duration.ofSeconds(5));
      held.close();
      recovery.ranges().close();
      recovery.incarnation().close();
    }
  }

  /** Asks the loop to stop: it stores and commits what it holds, within the grace period. */
  public void stop() {
    stopping = true;
    consumer.wakeup();
  }

  public State state() {
    return status.state();
  }

  public String lastError() {
    return status.lastError();
  }

  /**
   * While a failed batch backs off, retry it as soon as {@code answeredSince} says ClickHouse
   * answered after the failure (a probe), instead of waiting out the backoff (up to 30 s). Only for
   * failures that did not reach the server, so a batch ClickHouse rejects still backs off.
   */
  public void retryWhenAnswering(LongPredicate answeredSince) {
    held.retry().answeredSince(answeredSince);
  }

  /** The partitions this loop owns now; safe from any thread. */
  public Set<TopicPartition> ownedPartitions() {
    return rebalance.ownedPartitions();
  }

  /** When a batch was last stored (System.nanoTime), 0 when none yet; safe from any thread. */
  public long lastStoredNanos() {
    return status.lastStoredNanos();
  }

  /** How long the batch being stored has been in flight, 0 when none; safe from any thread. */
  public long storeInFlightNanos() {
    return held.store().inFlightNanos();
  }

  /** Seconds since the loop last polled: a loop that stopped polling is not alive. */
  public long secondsSinceLastPoll() {
    return (System.nanoTime() - lastPollNanos) / 1_000_000_000L;
  }

  private void step() {
    long now = System.nanoTime();
    gates.watchIncarnation();
    gates.resolveGated(now);
    collect(held.finished());
    held.retryIfDue(now);
    held.sealIfDue();
    held.confirmIfIdle(now);
    gates.flowControl();
    ConsumerRecords<byte[], byte[]> polled =
        consumer.poll(Duration.ofMillis(held.pollTimeoutMillis()));
    lastPollNanos = System.nanoTime();
    if (!polled.isEmpty()) {
      long ingestedAt = System.currentTimeMillis();
      for (TopicPartition tp : polled.partitions()) {
        List<ConsumerRecord<byte[], byte[]>> fetched = polled.records(tp);
        PartitionGates.Fetched check = gates.check(tp, fetched);
        if (check == PartitionGates.Fetched.SKIP) {
          continue;
        }
        if (check == PartitionGates.Fetched.RESTART) {
          break;
        }
        for (ConsumerRecord<byte[], byte[]> record : fetched) {
          records.handle(record, ingestedAt, held.current(), true);
          if (held.full()) {
            // Cut at the limit when the store is free; otherwise the batch grows by at most the
            // rest of this poll (max.poll.records) and the partitions pause until the store is
            // free.
            held.sealIfDue();
          }
        }
      }
      metrics.consumed(polled.count());
    }
    held.sealIfDue();
    if (committer.hasDeferred()) {
      committer.commit(Map.of());
    }
  }

  /** Acts on a finished store: commit and publish on success, schedule a retry on failure. */
  private void collect(BatchStore.Outcome outcome) {
    if (outcome == null) {
      return;
    }
    Batch stored = outcome.batch();
    String topic = config.kafka().topic();
    StoreRetry retry = held.retry();
    if (outcome.stored()) {
      metrics.stored(stored.rows(), outcome.took());
      status.stored();
      committer.commit(ownership.committable(topic, stored));
      if (liveView != null && stored.liveView() != null) {
        liveView.publish(stored.liveView());
      }
      if (status.failing()) {
        LOG.info("event=store_recovered pipeline={} attempts={}", pipeline, retry.attempts());
      }
      retry.succeeded();
      status.running();
    } else if (ownership.stillOwned(topic, stored).size() < stored.partitions().size()) {
      // Some of its partitions moved while it was stored: their new owners replay it from the
      // ledger, identically; ours are re-read from the ledger the same way, never retried here.
      Set<TopicPartition> kept = ownership.stillOwned(topic, stored);
      LOG.info(
          "event=store_outcome_disowned pipeline={} rows={} regated={} error=\"{}\"",
          pipeline,
          stored.rows(),
          kept,
          outcome.failure().getMessage());
      gates.regate(kept);
    } else {
      metrics.insertFailed();
      status.failing(outcome.failure().getMessage());
      long delay = retry.schedule(stored, outcome.failure());
      LOG.warn(
          "event=store_failed pipeline={} rows={} attempt={} retryInMs={} error=\"{}\"",
          pipeline,
          stored.rows(),
          retry.attempts(),
          delay,
          status.lastError());
    }
  }
}
