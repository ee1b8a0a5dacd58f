package dev.logpipe.worker.consume;

import dev.logpipe.worker.cache.RedisLiveView;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.detect.AnomalyScorer;
import dev.logpipe.worker.metrics.WorkerMetrics;
import dev.logpipe.worker.model.LogEvent;
import dev.logpipe.worker.parse.LogParser;
import dev.logpipe.worker.parse.ParseResult;
import dev.logpipe.worker.sink.ClickHouseBatchWriter;
import dev.logpipe.worker.sink.StoreException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consume loop: poll → parse → score → batch, with the previous batch being stored by {@link
 * BatchStore} meanwhile; offsets are committed here, on the consumer's thread.
 *
 * <p>Delivery: a batch's offsets are committed only after it is stored (and its dead-letter records
 * acknowledged); batches are stored one at a time, in order. On assignment a partition stays paused
 * until its stored high-water mark is read from ClickHouse, and consumption resumes after it, so
 * replays after a crash or a rebalance never store a row twice. While ClickHouse is down every
 * partition is paused and the failed batch is retried with capped backoff and the same
 * deduplication token: memory stays at two batches, nothing is committed that was not stored.
 */
public final class ConsumerLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
  private static final Duration REBALANCE_DRAIN = Duration.ofSeconds(30);

  /** What the loop is doing, for readiness and status. */
  public enum State {
    STARTING,
    RUNNING,
    STORE_FAILING,
    STOPPED
  }

  private final PipelineConfig config;
  private final Consumer<byte[], byte[]> consumer;
  private final LogParser parser;
  private final AnomalyScorer scorer;
  private final ClickHouseBatchWriter writer;
  private final DeadLetterPublisher deadLetters;
  private final RedisLiveView liveView;
  private final WorkerMetrics metrics;
  private final BatchStore store;
  private final String pipeline;
  private final Backoff backoff = new Backoff(200, 30_000);
  private final Set<TopicPartition> awaitingMarks = new HashSet<>();

  /** The partitions assigned to this loop, readable from other threads (lag, readiness). */
  private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();

  private final Duration shutdownGrace;

  private volatile boolean stopping;
  private volatile State state = State.STARTING;
  private volatile String lastError = "";
  private volatile long lastPollNanos = System.nanoTime();
  private volatile long lastStoredNanos;
  private Batch batch;

  /** A batch whose store failed, waiting for its next attempt. */
  private Batch retry;

  private boolean paused;
  private long retryAtNanos;

  /**
   * Readiness probe hook: true once ClickHouse answered after the given time (never by default).
   */
  private LongPredicate answeredSince = nanos -> false;

  private long failedAtNanos;
  private boolean unreachable;
  private long marksRetryAtNanos;

  public ConsumerLoop(
      PipelineConfig config,
      Consumer<byte[], byte[]> consumer,
      LogParser parser,
      AnomalyScorer scorer,
      ClickHouseBatchWriter writer,
      DeadLetterPublisher deadLetters,
      RedisLiveView liveView,
      WorkerMetrics metrics,
      Duration shutdownGrace) {
    this.config = config;
    this.consumer = consumer;
    this.parser = parser;
    this.scorer = scorer;
    this.writer = writer;
    this.deadLetters = deadLetters;
    this.liveView = liveView;
    this.metrics = metrics;
    this.shutdownGrace = shutdownGrace;
    this.pipeline = config.pipeline().qualifiedName();
    this.store = new BatchStore(writer, deadLetters, pipeline);
    this.batch = newBatch();
  }

  @Override
  public void run() {
    consumer.subscribe(List.of(config.kafka().topic()), new Rebalance());
    state = State.RUNNING;
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
      if (!drain(System.nanoTime() + shutdownGrace.toNanos())) {
        LOG.warn(
            "event=shutdown_unflushed pipeline={} note=\"not committed; the next owner re-reads them\"",
            pipeline);
      }
    } finally {
      state = State.STOPPED;
      store.close();
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Asks the loop to stop: it stores and commits what it holds, within the grace period. */
  public void stop() {
    stopping = true;
    consumer.wakeup();
  }

  public State state() {
    return state;
  }

  public String lastError() {
    return lastError;
  }

  /**
   * While a failed batch backs off, retry it as soon as {@code answeredSince} says ClickHouse
   * answered after the failure (a probe), instead of waiting out the backoff (up to 30 s). Only for
   * failures that did not reach the server, so a batch ClickHouse rejects still backs off.
   */
  public void retryWhenAnswering(LongPredicate answeredSince) {
    this.answeredSince = answeredSince;
  }

  /** The partitions this loop owns now; safe from any thread. */
  public Set<TopicPartition> ownedPartitions() {
    return Set.copyOf(owned);
  }

  /** When a batch was last stored (System.nanoTime), 0 when none yet; safe from any thread. */
  public long lastStoredNanos() {
    return lastStoredNanos;
  }

  /** How long the batch being stored has been in flight, 0 when none; safe from any thread. */
  public long storeInFlightNanos() {
    return store.inFlightNanos();
  }

  /** Seconds since the loop last polled: a loop that stopped polling is not alive. */
  public long secondsSinceLastPoll() {
    return (System.nanoTime() - lastPollNanos) / 1_000_000_000L;
  }

  private void step() {
    long now = System.nanoTime();
    if (!awaitingMarks.isEmpty() && now >= marksRetryAtNanos) {
      loadHighWaterMarks();
    }
    collect(store.poll(Duration.ZERO));
    if (retry != null && !store.busy() && retryDue(now)) {
      store.submit(retry);
    }
    sealIfDue();
    flowControl();
    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(pollTimeoutMillis()));
    lastPollNanos = System.nanoTime();
    if (!records.isEmpty()) {
      long ingestedAt = System.currentTimeMillis();
      for (ConsumerRecord<byte[], byte[]> record : records) {
        handle(record, ingestedAt);
        if (batch.full(config.batch())) {
          // Cut at the limit when the store is free; otherwise the batch grows by at most the
          // rest of this poll (max.poll.records) and the partitions pause until the store is free.
          sealIfDue();
        }
      }
      metrics.consumed(records.count());
    }
    sealIfDue();
  }

  private boolean retryDue(long now) {
    return now >= retryAtNanos || (unreachable && answeredSince.test(failedAtNanos));
  }

  private void handle(ConsumerRecord<byte[], byte[]> record, long ingestedAt) {
    byte[] value = record.value() == null ? new byte[0] : record.value();
    ParseResult result = parser.parse(value, record.timestamp());
    if (result.isOk()) {
      LogEvent event = result.event();
      event.source(record.partition(), record.offset()).ingestedAtMs(ingestedAt);
      scorer.score(event);
      if (event.anomalyScore() > 0) {
        metrics.anomalies(1);
      }
      batch.add(event);
    } else {
      batch.skip(
          record.partition(), record.offset(), deadLetters.publish(record, result.rejection()));
    }
  }

  /** Hands the current batch to the store when it is full or old enough and the store is free. */
  private void sealIfDue() {
    if (retry == null && !store.busy() && batch.due(config.batch(), System.nanoTime())) {
      store.submit(batch);
      batch = newBatch();
    }
  }

  /** Pause while a failed batch waits, or while the next batch is full and the store is busy. */
  private void flowControl() {
    boolean shouldPause = retry != null || (store.busy() && batch.full(config.batch()));
    if (shouldPause && !paused) {
      consumer.pause(consumer.assignment());
      paused = true;
    } else if (!shouldPause && paused) {
      Set<TopicPartition> ready = new HashSet<>(consumer.assignment());
      ready.removeAll(awaitingMarks);
      consumer.resume(ready);
      paused = false;
    }
  }

  private long pollTimeoutMillis() {
    if (store.busy()) {
      return 20;
    }
    if (retry != null) {
      // Short, so a probe that sees ClickHouse answer again is acted on at once.
      return Math.max(1, Math.min(100, (retryAtNanos - System.nanoTime()) / 1_000_000));
    }
    if (batch.isEmpty()) {
      return 200;
    }
    return Math.max(1, Math.min(200, config.batch().maxDelayMs() - batch.ageMillis()));
  }

  /** Acts on a finished store: commit and publish on success, schedule a retry on failure. */
  private void collect(BatchStore.Outcome outcome) {
    if (outcome == null) {
      return;
    }
    Batch stored = outcome.batch();
    if (outcome.stored()) {
      metrics.stored(stored.rows(), outcome.took());
      lastStoredNanos = System.nanoTime();
      commit(stored.commitOffsets());
      if (liveView != null && stored.liveView() != null) {
        liveView.publish(stored.liveView());
      }
      if (state == State.STORE_FAILING) {
        LOG.info("event=store_recovered pipeline={} attempts={}", pipeline, backoff.attempts());
      }
      retry = null;
      backoff.reset();
      state = State.RUNNING;
      lastError = "";
    } else {
      metrics.insertFailed();
      lastError = outcome.failure().getMessage();
      state = State.STORE_FAILING;
      retry = stored;
      long delay = backoff.nextMillis();
      failedAtNanos = System.nanoTime();
      unreachable = outcome.failure() instanceof StoreException se && se.serverCode() == 0;
      retryAtNanos = failedAtNanos + delay * 1_000_000;
      LOG.warn(
          "event=store_failed pipeline={} rows={} attempt={} retryInMs={} error=\"{}\"",
          pipeline,
          stored.rows(),
          backoff.attempts(),
          delay,
          lastError);
    }
  }

  /**
   * Stores and commits everything held (in flight, failed, current) before {@code deadline};
   * returns false if something could not be stored in time.
   */
  private boolean drain(long deadlineNanos) {
    while (true) {
      long remaining = deadlineNanos - System.nanoTime();
      if (store.busy()) {
        collect(store.poll(Duration.ofNanos(Math.max(1, remaining))));
        if (store.busy()) {
          return false;
        }
        continue;
      }
      if (retry != null) {
        long wait = Math.min(retryAtNanos - System.nanoTime(), remaining);
        if (remaining <= 0) {
          return false;
        }
        sleepNanos(wait);
        store.submit(retry);
        continue;
      }
      if (!batch.isEmpty()) {
        store.submit(batch);
        batch = newBatch();
        continue;
      }
      return true;
    }
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    for (int attempt = 1; ; attempt++) {
      try {
        consumer.commitSync(offsets, Duration.ofSeconds(30));
        return;
      } catch (WakeupException e) {
        // stop() woke the consumer while it was not polling: the wakeup is spent by this throw, so
        // a second attempt commits (the final commit at SIGTERM must not be lost to it).
        if (attempt >= 2) {
          LOG.warn("event=commit_failed pipeline={} error=\"woken up twice\"", pipeline);
          return;
        }
      } catch (KafkaException e) {
        // Stored but not committed: a replay of these offsets is skipped by the high-water marks.
        LOG.warn(
            "event=commit_failed pipeline={} error=\"{}\"",
            pipeline,
            e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        return;
      }
    }
  }

  private void loadHighWaterMarks() {
    try {
      Map<Integer, Long> marks = writer.highWaterMarks();
      for (TopicPartition tp : awaitingMarks) {
        Long stored = marks.get(tp.partition());
        if (stored != null && consumer.position(tp) <= stored) {
          LOG.info(
              "event=skip_stored pipeline={} partition={} resumeAt={}",
              pipeline,
              tp.partition(),
              stored + 1);
          consumer.seek(tp, stored + 1);
        }
      }
      if (!paused) {
        consumer.resume(awaitingMarks);
      }
      awaitingMarks.clear();
      if (state == State.STORE_FAILING && retry == null) {
        state = State.RUNNING;
        lastError = "";
      }
    } catch (StoreException | KafkaException e) {
      lastError = e.getMessage();
      state = State.STORE_FAILING;
      marksRetryAtNanos = System.nanoTime() + 1_000_000_000L;
      LOG.warn(
          "event=offsets_unavailable pipeline={} retryInMs=1000 error=\"{}\"",
          pipeline,
          e.getMessage());
    }
  }

  private Batch newBatch() {
    return new Batch(config.kafka().topic(), liveView == null ? null : liveView.newBatch());
  }

  /** Drops what is not stored and rewinds the partitions we keep to where it began. */
  private void abandon(Collection<TopicPartition> leaving) {
    Map<TopicPartition, Long> first = new HashMap<>();
    for (Batch b : new Batch[] {retry, batch}) {
      if (b != null) {
        b.firstOffsets().forEach((tp, offset) -> first.merge(tp, offset, Math::min));
      }
    }
    Set<TopicPartition> kept = new HashSet<>(consumer.assignment());
    kept.removeAll(leaving);
    first.forEach(
        (tp, offset) -> {
          if (kept.contains(tp)) {
            consumer.seek(tp, offset);
          }
        });
    retry = null;
    batch = newBatch();
  }

  private static void sleepNanos(long nanos) {
    if (nanos <= 0) {
      return;
    }
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      owned.removeAll(partitions);
      awaitingMarks.removeAll(partitions);
      if (!partitions.isEmpty() && !drain(System.nanoTime() + REBALANCE_DRAIN.toNanos())) {
        abandon(partitions);
      }
      LOG.info("event=partitions_revoked pipeline={} partitions={}", pipeline, partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      owned.removeAll(partitions);
      awaitingMarks.removeAll(partitions);
      // Let an insert already under way finish, so it cannot land after the next owner looked.
      collect(store.poll(REBALANCE_DRAIN));
      abandon(partitions);
      LOG.warn("event=partitions_lost pipeline={} partitions={}", pipeline, partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      owned.addAll(partitions);
      // Nothing is read from a new partition before its stored high-water mark is known.
      consumer.pause(partitions);
      awaitingMarks.addAll(partitions);
      marksRetryAtNanos = 0;
      LOG.info("event=partitions_assigned pipeline={} partitions={}", pipeline, partitions);
    }
  }
}
