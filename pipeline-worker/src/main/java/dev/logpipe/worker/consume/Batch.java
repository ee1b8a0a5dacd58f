package dev.logpipe.worker.consume;

import com.clickhouse.client.api.DataStreamWriter;
import dev.logpipe.worker.cache.LiveViewBatch;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.model.LogEvent;
import dev.logpipe.worker.sink.BatchLedger;
import dev.logpipe.worker.sink.RowBinaryEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The records consumed since the last commit: RowBinary rows per Kafka partition (so the range of
 * each partition is known and contiguous), the offsets to commit once stored, and the live-view
 * updates. Its deduplication token is a function of the topic id and the offset ranges, so a retry
 * of the same batch, or its replay from the ledger by any worker, carries the same token.
 */
final class Batch {
  /** Offsets one partition contributed: [first, last], rejected records included. */
  private static final class Range {
    final long first;
    long last;
    int records;
    final RowBinaryEncoder rows = new RowBinaryEncoder(64 * 1024);

    Range(long first) {
      this.first = first;
      this.last = first;
    }
  }

  private final String topic;
  private final String topicId;
  private final Map<Integer, Range> partitions = new TreeMap<>();
  private final Map<Integer, Object> owners = new HashMap<>();
  private final LiveViewBatch liveView;
  private final List<DeadLetterPublisher.Pending> deadLetters = new ArrayList<>();
  private final long startedNanos;
  private int rows;
  private long bytes;
  private int records;
  private volatile boolean abandoned;
  private long minTimestampMs = Long.MAX_VALUE;
  private long maxTimestampMs = Long.MIN_VALUE;

  Batch(String topic, String topicId, LiveViewBatch liveView) {
    this(topic, topicId, liveView, System.nanoTime());
  }

  /** A batch started at {@code startedNanos} on the {@link System#nanoTime()} clock. */
  Batch(String topic, String topicId, LiveViewBatch liveView, long startedNanos) {
    this.topic = topic;
    this.topicId = topicId;
    this.liveView = liveView;
    this.startedNanos = startedNanos;
  }

  void add(LogEvent event) {
    Range range = seen(event.partition(), event.offset());
    int before = range.rows.size();
    range.rows.encode(event);
    bytes += range.rows.size() - before;
    rows++;
    minTimestampMs = Math.min(minTimestampMs, event.timestampMs());
    maxTimestampMs = Math.max(maxTimestampMs, event.timestampMs());
    if (liveView != null) {
      liveView.add(event);
    }
  }

  /**
   * A record that produced no row (dead-lettered) still advances its partition's range. The
   * dead-letter payload it holds until acknowledged counts toward {@link #bytes()}, so a run of bad
   * records is bounded by the byte limit too.
   */
  void skip(int partition, long offset, DeadLetterPublisher.Pending deadLetter) {
    seen(partition, offset);
    if (deadLetter != null) {
      deadLetters.add(deadLetter);
      byte[] payload = deadLetter.record().value();
      bytes += payload == null ? 0 : payload.length;
    }
  }

  /** Dead-letter sends that must be acknowledged before this batch's offsets are committed. */
  List<DeadLetterPublisher.Pending> deadLetters() {
    return deadLetters;
  }

  private Range seen(int partition, long offset) {
    Range range = partitions.get(partition);
    if (range == null) {
      range = new Range(offset);
      partitions.put(partition, range);
    }
    range.last = offset;
    range.records++;
    records++;
    return range;
  }

  /**
   * Forgets what {@code gone} partitions contributed (they were revoked or must be re-read): their
   * rows are not stored and their offsets not committed by this batch. Their live-view updates and
   * dead-letter acknowledgements stay (both are at-least-once).
   */
  void drop(Collection<Integer> gone) {
    for (Integer p : gone) {
      Range r = partitions.remove(p);
      owners.remove(p);
      if (r != null) {
        rows -= r.rows.rows();
        records -= r.records;
        bytes -= r.rows.size();
      }
    }
  }

  /** Marks a batch handed to the store as not to be recorded or inserted any more. */
  void abandon() {
    abandoned = true;
  }

  boolean abandoned() {
    return abandoned;
  }

  /** Records who owned each partition when the batch was sealed (see {@link #owner}). */
  void stampOwners(java.util.function.IntFunction<Object> ownerOf) {
    partitions.keySet().forEach(p -> owners.put(p, ownerOf.apply(p)));
  }

  /** The ownership a partition had when the batch was sealed; compared by identity. */
  Object owner(int partition) {
    return owners.get(partition);
  }

  Set<Integer> partitions() {
    return partitions.keySet();
  }

  String topicId() {
    return topicId;
  }

  /** Earliest and latest event timestamp of its rows (only meaningful when it has rows). */
  long minTimestampMs() {
    return minTimestampMs;
  }

  long maxTimestampMs() {
    return maxTimestampMs;
  }

  /** Its ranges in partition order, as the ledger records them. */
  List<BatchLedger.Range> ranges() {
    List<BatchLedger.Range> ranges = new ArrayList<>();
    partitions.forEach((p, r) -> ranges.add(new BatchLedger.Range(p, r.first, r.last)));
    return ranges;
  }

  /** What the ledger records before the insert: ranges, topic id, token, not yet stored. */
  BatchLedger.Entry ledgerEntry(String pipeline) {
    return new BatchLedger.Entry(topicId, deduplicationToken(pipeline), ranges(), false);
  }

  int rows() {
    return rows;
  }

  int records() {
    return records;
  }

  long bytes() {
    return bytes;
  }

  boolean isEmpty() {
    return records == 0;
  }

  long ageMillis() {
    return ageMillis(System.nanoTime());
  }

  long ageMillis(long nowNanos) {
    return (nowNanos - startedNanos) / 1_000_000;
  }

  /** Reached the row or byte limit: store it now, read no further into it. */
  boolean full(PipelineConfig.Batch limits) {
    return rows >= limits.maxRows() || bytes >= limits.maxBytes();
  }

  /** Holds something and is full or has waited {@code maxDelayMs} since it began. */
  boolean due(PipelineConfig.Batch limits, long nowNanos) {
    return !isEmpty() && (full(limits) || ageMillis(nowNanos) >= limits.maxDelayMs());
  }

  LiveViewBatch liveView() {
    return liveView;
  }

  /** Offsets to commit once stored; the metadata names the topic id they belong to. */
  Map<TopicPartition, OffsetAndMetadata> commitOffsets() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    partitions.forEach(
        (p, r) ->
            offsets.put(
                new TopicPartition(topic, p),
                new OffsetAndMetadata(r.last + 1, TopicIncarnation.metadata(topicId))));
    return offsets;
  }

  /** Streams every partition's rows into the insert body, without copying them. */
  DataStreamWriter body() {
    return out -> {
      for (Range r : partitions.values()) {
        r.rows.writeTo(out);
      }
    };
  }

  /**
   * Same ranges, same token: ClickHouse drops a retried batch that already landed. The topic id is
   * part of it, so a recreated topic's first batches (offsets from 0 again) are never taken for the
   * old topic's.
   */
  String deduplicationToken(String pipeline) {
    StringBuilder ranges =
        new StringBuilder(pipeline).append('|').append(topic).append('|').append(topicId);
    partitions.forEach(
        (p, r) ->
            ranges.append('|').append(p).append(':').append(r.first).append('-').append(r.last));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(ranges.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
