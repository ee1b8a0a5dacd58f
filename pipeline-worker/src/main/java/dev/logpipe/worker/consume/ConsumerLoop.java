package dev.logpipe.worker.consume;

import dev.logpipe.worker.cache.RedisLiveView;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.detect.AnomalyScorer;
import dev.logpipe.worker.metrics.WorkerMetrics;
import dev.logpipe.worker.model.LogEvent;
import dev.logpipe.worker.parse.LogParser;
import dev.logpipe.worker.parse.ParseResult;
import dev.logpipe.worker.sink.BatchLedger;
import dev.logpipe.worker.sink.ClickHouseBatchWriter;
import dev.logpipe.worker.sink.StoreException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;
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
 * <p>Delivery: every batch is recorded in the ledger (ranges, topic id, token) before it is
 * inserted; a batch's offsets are committed only after it is stored (and its dead-letter records
 * acknowledged); batches are stored one at a time, in order. On assignment a partition stays paused
 * until {@link PartitionRecovery} has placed it after its latest ledger entry (re-inserting that
 * batch identically first if it was never confirmed), so replays after a crash, a timeout or a
 * rebalance never store a row twice. While ClickHouse is down every partition is paused and the
 * failed batch is retried with capped backoff and the same token: memory stays at two batches,
 * nothing is committed that was not stored. {@link PartitionOwnership} decides what a late outcome
 * may still commit or retry.
 */
public final class ConsumerLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);

  /** How long a revoke waits for the batch in flight before leaving it to the ledger. */
  private static final Duration REVOKE_WAIT = Duration.ofSeconds(10);

  /** How long an idle worker leaves a stored batch unconfirmed. */
  private static final long CONFIRM_IDLE_NANOS = 1_000_000_000L;

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
  private final LogParser parser;
  private final AnomalyScorer scorer;
  private final ClickHouseBatchWriter writer;
  private final DeadLetterPublisher deadLetters;
  private final RedisLiveView liveView;
  private final WorkerMetrics metrics;
  private final BatchStore store;
  private final String pipeline;
  private final Backoff backoff = new Backoff(200, 30_000);
  private final PartitionOwnership ownership = new PartitionOwnership();
  private final OffsetCommitter committer;
  private final Recovery recovery;
  private final PartitionRecovery positions;

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
  private long idleSinceNanos = System.nanoTime();

  /** The incarnation of the topic the owned partitions belong to; null before the first answer. */
  private String topicId;

  /**
   * Readiness probe hook: true once ClickHouse answered after the given time (never by default).
   */
  private LongPredicate answeredSince = nanos -> false;

  private long failedAtNanos;
  private boolean unreachable;

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
    this.parser = parser;
    this.scorer = scorer;
    this.writer = writer;
    this.deadLetters = deadLetters;
    this.liveView = liveView;
    this.metrics = metrics;
    this.shutdownGrace = shutdownGrace;
    this.pipeline = config.pipeline().qualifiedName();
    this.recovery = recovery;
    this.committer = new OffsetCommitter(consumer, ownership::all, pipeline);
    this.store = new BatchStore(writer, recovery.ledger(), deadLetters, pipeline);
    this.positions =
        new PartitionRecovery(
            pipeline,
            config.kafka().topic(),
            recovery.ledger(),
            writer,
            recovery.ranges(),
            (record, b) -> handle(record, System.currentTimeMillis(), b, false),
            metrics);
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
      // Leaving the group revokes the partitions (the callback uses the store): store closes last.
      consumer.close(Duration.ofSeconds(5));
      store.close();
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
    watchIncarnation();
    if (ownership.anyGated()) {
      resolveGated(now);
    }
    collect(store.poll(Duration.ZERO));
    if (retry != null && !store.busy() && retryDue(now)) {
      store.submit(retry);
    }
    sealIfDue();
    confirmIfIdle(now);
    flowControl();
    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(pollTimeoutMillis()));
    lastPollNanos = System.nanoTime();
    if (!records.isEmpty()) {
      long ingestedAt = System.currentTimeMillis();
      for (TopicPartition tp : records.partitions()) {
        PartitionOwnership.Owned mine = ownership.of(tp);
        if (mine == null || !mine.open) {
          continue; // fetched before a revoke or a re-gate: its position is decided elsewhere
        }
        List<ConsumerRecord<byte[], byte[]>> fetched = records.records(tp);
        if (fetched.get(0).offset() < mine.nextOffset) {
          // Offsets went back without a seek of ours: the consumer reset to a recreated topic's
          // start. Nothing of it is stored under the old topic id: ask the id again first.
          LOG.warn(
              "event=offsets_went_back pipeline={} partition={} expected={} got={}",
              pipeline,
              tp.partition(),
              mine.nextOffset,
              fetched.get(0).offset());
          recovery.incarnation().refresh();
          regate(ownership.all(), System.nanoTime());
          break;
        }
        mine.nextOffset = fetched.get(fetched.size() - 1).offset() + 1;
        for (ConsumerRecord<byte[], byte[]> record : fetched) {
          handle(record, ingestedAt, batch, true);
          if (batch.full(config.batch())) {
            // Cut at the limit when the store is free; otherwise the batch grows by at most the
            // rest of this poll (max.poll.records) and the partitions pause until the store is
            // free.
            sealIfDue();
          }
        }
      }
      metrics.consumed(records.count());
    }
    sealIfDue();
    if (committer.hasDeferred()) {
      commit(Map.of());
    }
  }

  private boolean retryDue(long now) {
    return now >= retryAtNanos || (unreachable && answeredSince.test(failedAtNanos));
  }

  /**
   * Parses and scores one record into {@code into}; a bad record is dead-lettered when {@code
   * deadLetter} (a replay does not: the original batch had its dead letters acknowledged first).
   */
  private void handle(
      ConsumerRecord<byte[], byte[]> record, long ingestedAt, Batch into, boolean deadLetter) {
    byte[] value = record.value() == null ? new byte[0] : record.value();
    ParseResult result = parser.parse(value, record.timestamp());
    if (result.isOk()) {
      LogEvent event = result.event();
      event.source(record.partition(), record.offset()).ingestedAtMs(ingestedAt);
      scorer.score(event);
      if (deadLetter && event.anomalyScore() > 0) {
        metrics.anomalies(1);
      }
      into.add(event);
    } else {
      into.skip(
          record.partition(),
          record.offset(),
          deadLetter ? deadLetters.publish(record, result.rejection()) : null);
    }
  }

  /** Hands the current batch to the store when it is full or old enough and the store is free. */
  private void sealIfDue() {
    if (retry == null && !store.busy() && batch.due(config.batch(), System.nanoTime())) {
      submit(batch);
      batch = newBatch();
    }
  }

  private void submit(Batch b) {
    String topic = config.kafka().topic();
    b.stampOwners(p -> ownership.of(new TopicPartition(topic, p)));
    store.submit(b);
  }

  /** An idle worker confirms its last stored batch, so a later owner need not check it. */
  private void confirmIfIdle(long now) {
    if (store.busy() || retry != null || !batch.isEmpty()) {
      idleSinceNanos = now;
    } else if (store.owesConfirmation() && now - idleSinceNanos >= CONFIRM_IDLE_NANOS) {
      store.confirm(Duration.ofSeconds(5));
      idleSinceNanos = now;
    }
  }

  /** Pause while a failed batch waits, or while the next batch is full and the store is busy. */
  private void flowControl() {
    boolean shouldPause = retry != null || (store.busy() && batch.full(config.batch()));
    if (shouldPause && !paused) {
      consumer.pause(consumer.assignment());
      paused = true;
    } else if (!shouldPause && paused) {
      consumer.resume(ownership.open());
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
    String topic = config.kafka().topic();
    if (outcome.stored()) {
      metrics.stored(stored.rows(), outcome.took());
      lastStoredNanos = System.nanoTime();
      commit(ownership.committable(topic, stored));
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
      regate(kept);
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
        submit(batch);
        batch = newBatch();
        continue;
      }
      // Confirmed now, the next owner need not check the last batch (it is safe unconfirmed too).
      store.confirm(Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime())));
      return true;
    }
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    committer.commit(offsets);
  }

  /**
   * Places gated partitions after their latest ledger entry (replaying an unconfirmed batch first)
   * and opens them. A partition waits while a batch of ours holding it is still being stored or
   * retried, so it is never replayed by us while we insert it.
   */
  private void resolveGated(long now) {
    Set<Integer> busy = new HashSet<>();
    if (store.inFlight() != null) {
      busy.addAll(store.inFlight().partitions());
    }
    if (retry != null) {
      busy.addAll(retry.partitions());
    }
    List<PartitionOwnership.Owned> due =
        ownership.gatedDue(now).stream()
            .filter(o -> !busy.contains(o.partition.partition()))
            .toList();
    if (due.isEmpty()) {
      return;
    }
    long since = due.stream().mapToLong(o -> o.idAskedSinceNanos).max().orElse(Long.MIN_VALUE);
    String id = recovery.incarnation().idAskedSince(since);
    if (id == null) {
      String error = recovery.incarnation().lastError();
      if (!error.isEmpty()) {
        lastError = "cannot read the topic id of " + config.kafka().topic() + ": " + error;
      }
      return; // asked; answered in a later step
    }
    if (!id.equals(topicId)) {
      incarnationChanged(id);
      return; // every partition is gated again under the new id
    }
    Set<TopicPartition> partitions = due.stream().map(o -> o.partition).collect(Collectors.toSet());
    try {
      Map<TopicPartition, Long> resume = positions.resolve(id, partitions, consumer);
      Map<TopicPartition, OffsetAndMetadata> resolved = new java.util.HashMap<>();
      for (PartitionOwnership.Owned o : due) {
        long position = resume.get(o.partition);
        if (position == PartitionRecovery.BEGINNING) {
          consumer.seekToBeginning(List.of(o.partition));
        } else {
          consumer.seek(o.partition, position);
          o.nextOffset = position;
          resolved.put(o.partition, new OffsetAndMetadata(position, TopicIncarnation.metadata(id)));
        }
        o.open = true;
      }
      // The group's offsets catch up with the ledger (a previous owner may not have committed).
      commit(resolved);
      LOG.info("event=partitions_resumed pipeline={} topicId={} at={}", pipeline, id, resume);
      if (!paused) {
        consumer.resume(partitions);
      }
      if (state == State.STORE_FAILING && retry == null) {
        state = State.RUNNING;
        lastError = "";
      }
    } catch (StoreException | KafkaException e) {
      if (e instanceof WakeupException wakeup) {
        throw wakeup;
      }
      lastError = e.getMessage();
      state = State.STORE_FAILING;
      due.forEach(o -> o.resolveAfterNanos = System.nanoTime() + 1_000_000_000L);
      LOG.warn(
          "event=positions_unavailable pipeline={} retryInMs=1000 error=\"{}\"",
          pipeline,
          e.getMessage());
    }
  }

  /** Notices, between assignments, that the topic was deleted and recreated (a new topic id). */
  private void watchIncarnation() {
    String id = recovery.incarnation().poll();
    if (id != null && topicId != null && !id.equals(topicId)) {
      incarnationChanged(id);
    }
  }

  /**
   * The topic now has id {@code id}. Positions and batches of a previous id say nothing about it
   * (its offsets start again at 0): drop them and gate every partition for the new id.
   */
  private void incarnationChanged(String id) {
    if (topicId != null) {
      LOG.warn(
          "event=topic_recreated pipeline={} topic={} previousTopicId={} topicId={}"
              + " note=\"positions of the previous topic are not used\"",
          pipeline,
          config.kafka().topic(),
          topicId,
          id);
      metrics.topicRecreated();
    }
    topicId = id;
    retry = null;
    batch = newBatch();
    Set<TopicPartition> all = ownership.all();
    ownership.gate(all, Long.MIN_VALUE);
    consumer.pause(all);
  }

  /**
   * Closes {@code partitions} again: their position is read anew from the ledger. What our batches
   * hold of them is dropped; a waiting retry that holds one of them is dropped whole (only the
   * identical batch may be inserted again), and its other partitions are re-read the same way.
   */
  private void regate(Set<TopicPartition> partitions) {
    regate(partitions, Long.MIN_VALUE);
  }

  /** {@link #regate(Set)} under a topic id asked at or after {@code idAskedSinceNanos}. */
  private void regate(Set<TopicPartition> partitions, long idAskedSinceNanos) {
    Set<TopicPartition> closing = new HashSet<>(partitions);
    if (retry != null && retry.partitions().stream().anyMatch(p -> closing.contains(tp(p)))) {
      retry.partitions().forEach(p -> closing.add(tp(p)));
      retry = null;
    }
    closing.retainAll(ownership.all());
    ownership.gate(closing, idAskedSinceNanos);
    batch.drop(closing.stream().map(TopicPartition::partition).toList());
    consumer.pause(closing);
  }

  private TopicPartition tp(int partition) {
    return new TopicPartition(config.kafka().topic(), partition);
  }

  private Batch newBatch() {
    return new Batch(
        config.kafka().topic(), topicId, liveView == null ? null : liveView.newBatch());
  }

  /**
   * Gives {@code leaving} up: what they contributed to the current batch is dropped; a waiting
   * retry holding one of them is dropped whole and its other partitions are re-read from the
   * ledger; the batch in flight is abandoned if it is not recorded yet, or else given a bounded
   * wait (its outcome then commits and retries only what is still ours). Nothing is committed here:
   * inside a cooperative rebalance a commit fails, and the ledger tells the next owner where to
   * resume.
   */
  private void release(Collection<TopicPartition> leaving, boolean wait) {
    Set<TopicPartition> released = ownership.release(leaving);
    if (released.isEmpty()) {
      return;
    }
    Set<Integer> numbers =
        released.stream().map(TopicPartition::partition).collect(Collectors.toSet());
    batch.drop(numbers);
    if (retry != null && retry.partitions().stream().anyMatch(numbers::contains)) {
      Set<TopicPartition> rest =
          retry.partitions().stream()
              .filter(p -> !numbers.contains(p))
              .map(this::tp)
              .collect(Collectors.toSet());
      retry = null;
      regate(rest);
    }
    Batch inFlight = store.inFlight();
    if (wait && inFlight != null && inFlight.partitions().stream().anyMatch(numbers::contains)) {
      // A stored batch confirmed now saves the next owner a check; one still unrecorded is
      // abandoned, one recorded is replayed identically by the next owner if it does not finish.
      if (!store.await(REVOKE_WAIT)) {
        inFlight.abandon();
      }
    }
    if (wait) {
      store.confirm(REVOKE_WAIT);
    }
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
      if (partitions.isEmpty()) {
        return;
      }
      // At shutdown the drain already had the grace period: do not wait again.
      release(partitions, !stopping);
      LOG.info("event=partitions_revoked pipeline={} partitions={}", pipeline, partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      owned.removeAll(partitions);
      // Others may own them already: drop them at once, wait for nothing.
      release(partitions, false);
      LOG.warn("event=partitions_lost pipeline={} partitions={}", pipeline, partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      owned.addAll(partitions);
      // Nothing is read from a new partition before its position is resolved from the ledger,
      // under the topic id Kafka gives now (asked afresh: the topic may have been recreated).
      consumer.pause(partitions);
      ownership.gate(partitions, System.nanoTime());
      recovery.incarnation().refresh();
      LOG.info("event=partitions_assigned pipeline={} partitions={}", pipeline, partitions);
    }
  }
}
