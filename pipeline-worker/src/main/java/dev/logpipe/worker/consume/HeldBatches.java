package dev.logpipe.worker.consume;

import dev.logpipe.worker.cache.RedisLiveView;
import dev.logpipe.worker.config.PipelineConfig;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What the loop holds that is not committed yet: the batch being filled, the batch being stored
 * ({@link BatchStore}: one at a time, in order) and a failed batch waiting for its retry ({@link
 * StoreRetry}). Decides when a batch is sealed, when reading must pause, how long a poll may wait,
 * and drains everything at shutdown. All held batches belong to one topic incarnation ({@link
 * #topicId()}). Consumer thread only.
 */
final class HeldBatches implements AutoCloseable {
  /** How long an idle worker leaves a stored batch unconfirmed. */
  private static final long CONFIRM_IDLE_NANOS = 1_000_000_000L;

  private final String topic;
  private final PipelineConfig.Batch limits;
  private final PartitionOwnership ownership;
  private final BatchStore store;
  private final RedisLiveView liveView;
  private final StoreRetry retry = new StoreRetry();
  private long idleSinceNanos = System.nanoTime();

  /** The incarnation of the topic the owned partitions belong to; null before the first answer. */
  private String topicId;

  private Batch current;

  HeldBatches(
      PipelineConfig config,
      PartitionOwnership ownership,
      BatchStore store,
      RedisLiveView liveView) {
    this.topic = config.kafka().topic();
    this.limits = config.batch();
    this.ownership = ownership;
    this.store = store;
    this.liveView = liveView;
    this.current = newBatch();
  }

  /** The batch being filled. */
  Batch current() {
    return current;
  }

  StoreRetry retry() {
    return retry;
  }

  BatchStore store() {
    return store;
  }

  String topicId() {
    return topicId;
  }

  /** The topic now has id {@code id}: everything held of a previous id is dropped. */
  void restart(String id) {
    topicId = id;
    retry.drop();
    current = newBatch();
  }

  /** Whether the current batch reached its row or byte limit. */
  boolean full() {
    return current.full(limits);
  }

  /** The outcome of the batch in flight if it finished, else null (never waits). */
  BatchStore.Outcome finished() {
    return store.poll(Duration.ZERO);
  }

  /** Stores the failed batch again when its retry is due and the store is free. */
  void retryIfDue(long nowNanos) {
    if (retry.waiting() && !store.busy() && retry.due(nowNanos)) {
      store.submit(retry.batch());
    }
  }

  /** Hands the current batch to the store when it is full or old enough and the store is free. */
  void sealIfDue() {
    if (!retry.waiting() && !store.busy() && current.due(limits, System.nanoTime())) {
      submit(current);
      current = newBatch();
    }
  }

  private void submit(Batch b) {
    b.stampOwners(p -> ownership.of(new TopicPartition(topic, p)));
    store.submit(b);
  }

  /** An idle worker confirms its last stored batch, so a later owner need not check it. */
  void confirmIfIdle(long nowNanos) {
    if (store.busy() || retry.waiting() || !current.isEmpty()) {
      idleSinceNanos = nowNanos;
    } else if (store.owesConfirmation() && nowNanos - idleSinceNanos >= CONFIRM_IDLE_NANOS) {
      store.confirm(Duration.ofSeconds(5));
      idleSinceNanos = nowNanos;
    }
  }

  /**
   * Reading pauses while a failed batch waits, or while the next batch is full and the store busy.
   */
  boolean shouldPause() {
    return retry.waiting() || (store.busy() && current.full(limits));
  }

  long pollTimeoutMillis() {
    if (store.busy()) {
      return 20;
    }
    if (retry.waiting()) {
      // Short, so a probe that sees ClickHouse answer again is acted on at once.
      return Math.max(1, Math.min(100, (retry.retryAtNanos() - System.nanoTime()) / 1_000_000));
    }
    if (current.isEmpty()) {
      return 200;
    }
    return Math.max(1, Math.min(200, limits.maxDelayMs() - current.ageMillis()));
  }

  /** Partitions a batch of ours holds while it is stored or waits for its retry. */
  Set<Integer> busyPartitions() {
    Set<Integer> busy = new HashSet<>();
    if (store.inFlight() != null) {
      busy.addAll(store.inFlight().partitions());
    }
    if (retry.waiting()) {
      busy.addAll(retry.batch().partitions());
    }
    return busy;
  }

  /**
   * Stores and commits everything held (in flight, failed, current) before {@code deadline}, each
   * outcome handed to {@code collect}; returns false if something could not be stored in time.
   */
  boolean drain(long deadlineNanos, Consumer<BatchStore.Outcome> collect) {
    while (true) {
      long remaining = deadlineNanos - System.nanoTime();
      if (store.busy()) {
        collect.accept(store.poll(Duration.ofNanos(Math.max(1, remaining))));
        if (store.busy()) {
          return false;
        }
        continue;
      }
      if (retry.waiting()) {
        long wait = Math.min(retry.retryAtNanos() - System.nanoTime(), remaining);
        if (remaining <= 0) {
          return false;
        }
        sleepNanos(wait);
        store.submit(retry.batch());
        continue;
      }
      if (!current.isEmpty()) {
        submit(current);
        current = newBatch();
        continue;
      }
      // Confirmed now, the next owner need not check the last batch (it is safe unconfirmed too).
      store.confirm(Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime())));
      return true;
    }
  }

  private Batch newBatch() {
    return new Batch(topic, topicId, liveView == null ? null : liveView.newBatch());
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

  @Override
  public void close() {
    store.close();
  }
}
