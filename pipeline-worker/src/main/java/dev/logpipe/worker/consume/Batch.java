package dev.logpipe.worker.consume;

import com.clickhouse.client.api.DataStreamWriter;
import dev.logpipe.worker.cache.LiveViewBatch;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.model.LogEvent;
import dev.logpipe.worker.sink.RowBinaryEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The records consumed since the last commit: RowBinary rows per Kafka partition (so the range of
 * each partition is known and contiguous), the offsets to commit once stored, and the live-view
 * updates. Its deduplication token is a function of the offset ranges, so a retry of the same batch
 * carries the same token.
 */
final class Batch {
  /** Offsets one partition contributed: [first, last], rejected records included. */
  private static final class Range {
    final long first;
    long last;
    final RowBinaryEncoder rows = new RowBinaryEncoder(64 * 1024);

    Range(long first) {
      this.first = first;
      this.last = first;
    }
  }

  private final String topic;
  private final Map<Integer, Range> partitions = new TreeMap<>();
  private final LiveViewBatch liveView;
  private final List<DeadLetterPublisher.Pending> deadLetters = new ArrayList<>();
  private final long startedNanos;
  private int rows;
  private long bytes;
  private int records;

  Batch(String topic, LiveViewBatch liveView) {
    this(topic, liveView, System.nanoTime());
  }

  /** A batch started at {@code startedNanos} on the {@link System#nanoTime()} clock. */
  Batch(String topic, LiveViewBatch liveView, long startedNanos) {
    this.topic = topic;
    this.liveView = liveView;
    this.startedNanos = startedNanos;
  }

  void add(LogEvent event) {
    Range range = seen(event.partition(), event.offset());
    int before = range.rows.size();
    range.rows.encode(event);
    bytes += range.rows.size() - before;
    rows++;
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
    records++;
    return range;
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

  /** The first offset of each partition: where to seek back if the batch is abandoned. */
  Map<TopicPartition, Long> firstOffsets() {
    Map<TopicPartition, Long> first = new HashMap<>();
    partitions.forEach((p, r) -> first.put(new TopicPartition(topic, p), r.first));
    return first;
  }

  Map<TopicPartition, OffsetAndMetadata> commitOffsets() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    partitions.forEach(
        (p, r) -> offsets.put(new TopicPartition(topic, p), new OffsetAndMetadata(r.last + 1)));
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

  /** Same ranges, same token: ClickHouse drops a retried batch that already landed. */
  String deduplicationToken(String pipeline) {
    StringBuilder ranges = new StringBuilder(pipeline).append('|').append(topic);
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
