package dev.logpipe.worker.consume;

import dev.logpipe.worker.metrics.WorkerMetrics;
import dev.logpipe.worker.sink.StoreException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which owned partitions may be read, and from where. A partition is gated (paused) from its
 * assignment until {@link PartitionRecovery} placed it after its latest ledger entry under the
 * topic id Kafka gives now; it is gated again when its position must be read anew (a recreated
 * topic, offsets that went back, a late outcome for a batch it was in). Revokes drop only what the
 * revoked partitions contributed ({@link RebalanceListener}). Also pauses and resumes reading as
 * {@link HeldBatches} asks. Consumer thread only.
 */
final class PartitionGates {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionGates.class);

  /** What to do with the records fetched for one partition. */
  enum Fetched {
    READ,
    SKIP,
    /** The log went back: every partition was gated again; drop the rest of this poll. */
    RESTART
  }

  private final String pipeline;
  private final String topic;
  private final Consumer<byte[], byte[]> consumer;
  private final PartitionOwnership ownership;
  private final HeldBatches held;
  private final ConsumerLoop.Recovery recovery;
  private final PartitionRecovery positions;
  private final OffsetCommitter committer;
  private final LoopStatus status;
  private final WorkerMetrics metrics;

  private boolean paused;

  PartitionGates(
      String pipeline,
      String topic,
      Consumer<byte[], byte[]> consumer,
      PartitionOwnership ownership,
      HeldBatches held,
      ConsumerLoop.Recovery recovery,
      PartitionRecovery positions,
      OffsetCommitter committer,
      LoopStatus status,
      WorkerMetrics metrics) {
    this.pipeline = pipeline;
    this.topic = topic;
    this.consumer = consumer;
    this.ownership = ownership;
    this.held = held;
    this.recovery = recovery;
    this.positions = positions;
    this.committer = committer;
    this.status = status;
    this.metrics = metrics;
  }

  /** Checks one partition's fetched records before they are read (see {@link Fetched}). */
  Fetched check(TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> fetched) {
    PartitionOwnership.Owned mine = ownership.of(tp);
    if (mine == null || !mine.open) {
      return Fetched
          .SKIP; // fetched before a revoke or a re-gate: its position is decided elsewhere
    }
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
      return Fetched.RESTART;
    }
    mine.nextOffset = fetched.get(fetched.size() - 1).offset() + 1;
    return Fetched.READ;
  }

  /** Pause while {@link HeldBatches#shouldPause()}; resume the open partitions after. */
  void flowControl() {
    boolean shouldPause = held.shouldPause();
    if (shouldPause && !paused) {
      consumer.pause(consumer.assignment());
      paused = true;
    } else if (!shouldPause && paused) {
      consumer.resume(ownership.open());
      paused = false;
    }
  }

  /**
   * Places gated partitions after their latest ledger entry (replaying an unconfirmed batch first)
   * and opens them. A partition waits while a batch of ours holding it is still being stored or
   * retried, so it is never replayed by us while we insert it.
   */
  void resolveGated(long now) {
    if (!ownership.anyGated()) {
      return;
    }
    Set<Integer> busy = held.busyPartitions();
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
        status.error("cannot read the topic id of " + topic + ": " + error);
      }
      return; // asked; answered in a later step
    }
    if (!id.equals(held.topicId())) {
      incarnationChanged(id);
      return; // every partition is gated again under the new id
    }
    Set<TopicPartition> partitions = due.stream().map(o -> o.partition).collect(Collectors.toSet());
    try {
      Map<TopicPartition, Long> resume = positions.resolve(id, partitions, consumer);
      Map<TopicPartition, OffsetAndMetadata> resolved = new HashMap<>();
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
      committer.commit(resolved);
      LOG.info("event=partitions_resumed pipeline={} topicId={} at={}", pipeline, id, resume);
      if (!paused) {
        consumer.resume(partitions);
      }
      if (status.failing() && !held.retry().waiting()) {
        status.running();
      }
    } catch (StoreException | KafkaException e) {
      if (e instanceof WakeupException wakeup) {
        throw wakeup;
      }
      status.failing(e.getMessage());
      due.forEach(o -> o.resolveAfterNanos = System.nanoTime() + 1_000_000_000L);
      LOG.warn(
          "event=positions_unavailable pipeline={} retryInMs=1000 error=\"{}\"",
          pipeline,
          e.getMessage());
    }
  }

  /** Notices, between assignments, that the topic was deleted and recreated (a new topic id). */
  void watchIncarnation() {
    String id = recovery.incarnation().poll();
    if (id != null && held.topicId() != null && !id.equals(held.topicId())) {
      incarnationChanged(id);
    }
  }

  /**
   * The topic now has id {@code id}. Positions and batches of a previous id say nothing about it
   * (its offsets start again at 0): drop them and gate every partition for the new id.
   */
  private void incarnationChanged(String id) {
    if (held.topicId() != null) {
      LOG.warn(
          "event=topic_recreated pipeline={} topic={} previousTopicId={} topicId={}"
              + " note=\"positions of the previous topic are not used\"",
          pipeline,
          topic,
          held.topicId(),
          id);
      metrics.topicRecreated();
    }
    held.restart(id);
    Set<TopicPartition> all = ownership.all();
    ownership.gate(all, Long.MIN_VALUE);
    consumer.pause(all);
  }

  /**
   * Closes {@code partitions} again: their position is read anew from the ledger. What our batches
   * hold of them is dropped; a waiting retry that holds one of them is dropped whole (only the
   * identical batch may be inserted again), and its other partitions are re-read the same way.
   */
  void regate(Set<TopicPartition> partitions) {
    regate(partitions, Long.MIN_VALUE);
  }

  /** {@link #regate(Set)} under a topic id asked at or after {@code idAskedSinceNanos}. */
  private void regate(Set<TopicPartition> partitions, long idAskedSinceNanos) {
    Set<TopicPartition> closing = new HashSet<>(partitions);
    StoreRetry retry = held.retry();
    if (retry.waiting()
        && retry.batch().partitions().stream().anyMatch(p -> closing.contains(tp(p)))) {
      retry.batch().partitions().forEach(p -> closing.add(tp(p)));
      retry.drop();
    }
    closing.retainAll(ownership.all());
    ownership.gate(closing, idAskedSinceNanos);
    held.current().drop(closing.stream().map(TopicPartition::partition).toList());
    consumer.pause(closing);
  }

  TopicPartition tp(int partition) {
    return new TopicPartition(topic, partition);
  }
}
