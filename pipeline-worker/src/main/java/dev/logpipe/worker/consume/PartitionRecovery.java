package dev.logpipe.worker.consume;

import dev.logpipe.worker.metrics.WorkerMetrics;
import dev.logpipe.worker.sink.BatchLedger;
import dev.logpipe.worker.sink.ClickHouseBatchWriter;
import dev.logpipe.worker.sink.StoreException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a newly owned partition resumes, from the batch ledger: after its latest recorded range.
 * When that range is not confirmed (the worker that stored it crashed, timed out, or lost the
 * partition), its whole batch is first re-read from Kafka and re-inserted with the recorded token,
 * so the parts that had landed, or that land later, are dropped by ClickHouse, then confirmed.
 * Without a ledger entry the committed offset counts, but only if it was committed for this topic
 * id.
 */
final class PartitionRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionRecovery.class);

  /** Resume at the log's beginning (the topic's first incarnation seen, or a recreated topic). */
  static final long BEGINNING = -1;

  private final String pipeline;
  private final String topic;
  private final BatchLedger ledger;
  private final ClickHouseBatchWriter writer;
  private final RangeReader ranges;
  private final BiConsumer<ConsumerRecord<byte[], byte[]>, Batch> rebuild;
  private final WorkerMetrics metrics;

  PartitionRecovery(
      String pipeline,
      String topic,
      BatchLedger ledger,
      ClickHouseBatchWriter writer,
      RangeReader ranges,
      BiConsumer<ConsumerRecord<byte[], byte[]>, Batch> rebuild,
      WorkerMetrics metrics) {
    this.pipeline = pipeline;
    this.topic = topic;
    this.ledger = ledger;
    this.writer = writer;
    this.ranges = ranges;
    this.rebuild = rebuild;
    this.metrics = metrics;
  }

  /**
   * The position of each of {@code partitions} of topic {@code topicId} ({@link #BEGINNING} for the
   * log start), after replaying any unconfirmed batch of theirs. Throws when ClickHouse or Kafka
   * cannot answer; nothing is half done then that a later call would not redo identically.
   */
  Map<TopicPartition, Long> resolve(
      String topicId, Set<TopicPartition> partitions, Consumer<byte[], byte[]> consumer)
      throws StoreException {
    Map<Integer, BatchLedger.Entry> latest =
        ledger.latest(
            topicId,
            partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet()));
    Map<TopicPartition, OffsetAndMetadata> committed =
        consumer.committed(partitions, Duration.ofSeconds(10));
    Set<String> replayed = new HashSet<>();
    Map<TopicPartition, Long> positions = new HashMap<>();
    for (TopicPartition tp : partitions) {
      BatchLedger.Entry entry = latest.get(tp.partition());
      OffsetAndMetadata c = committed.get(tp);
      String committedFor = TopicIncarnation.topicIdOf(c);
      if (c != null && committedFor != null && !committedFor.equals(topicId)) {
        LOG.warn(
            "event=topic_recreated pipeline={} topic={} partition={} previousTopicId={} topicId={}"
                + " note=\"the offset committed for the previous topic is not used\"",
            pipeline,
            topic,
            tp.partition(),
            committedFor,
            topicId);
        metrics.topicRecreated();
        c = null;
      }
      long position = c == null ? BEGINNING : c.offset();
      if (entry != null) {
        if (!entry.stored() && replayed.add(entry.token())) {
          replay(entry);
        }
        // Committed offsets never run ahead of the ledger, except after a batch of only
        // dead-lettered records whose confirmation was not written yet.
        long next = entry.range(tp.partition()).last() + 1;
        position = c != null && committedFor != null ? Math.max(next, c.offset()) : next;
      }
      positions.put(tp, position);
    }
    return positions;
  }

  /** Re-inserts an unconfirmed batch exactly as recorded (same rows, same token), confirms it. */
  private void replay(BatchLedger.Entry entry) throws StoreException {
    long t0 = System.nanoTime();
    Batch batch = new Batch(topic, entry.topicId(), null);
    List<ConsumerRecord<byte[], byte[]>> records = ranges.read(topic, entry.ranges());
    records.forEach(r -> rebuild.accept(r, batch));
    if (!batch.ranges().equals(entry.ranges())) {
      // Retention removed records since: what remains is re-inserted, the rest is gone from Kafka.
      LOG.warn(
          "event=ledger_replay_partial pipeline={} recorded={} readable={}",
          pipeline,
          entry.ranges(),
          batch.ranges());
    }
    long landed =
        batch.rows() == 0
            ? 0
            : writer.storedPositions(
                entry.ranges(), batch.minTimestampMs(), batch.maxTimestampMs());
    long written = 0;
    if (landed < batch.rows()) {
      written = writer.insert(batch.body(), entry.token());
    }
    ledger.write(List.of(entry.confirmed()));
    metrics.ledgerReplayed();
    LOG.info(
        "event=ledger_replay pipeline={} topicId={} ranges={} rows={} landedBefore={} written={}"
            + " tookMs={}",
        pipeline,
        entry.topicId(),
        entry.ranges(),
        batch.rows(),
        landed,
        written,
        (System.nanoTime() - t0) / 1_000_000);
  }
}
