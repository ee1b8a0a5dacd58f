package dev.logpipe.worker.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.model.LogEvent;
import dev.logpipe.worker.sink.BatchLedger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** When the consume loop cuts a batch: by rows, by bytes, by time, whichever comes first. */
class BatchTest {
  private static final long START = 1_000_000_000L;
  private static final long MS = 1_000_000L;

  private static Batch batch() {
    return new Batch("t", "id1", null, START);
  }

  private static LogEvent event(int partition, long offset, int messageChars) {
    return new LogEvent()
        .timestampMs(1_700_000_000_000L)
        .service("checkout")
        .level("INFO")
        .message("m".repeat(messageChars))
        .source(partition, offset);
  }

  private static DeadLetterPublisher.Pending deadLetter(int payloadBytes) {
    return new DeadLetterPublisher.Pending(
        new ProducerRecord<>("t.dlq", new byte[payloadBytes]),
        CompletableFuture.completedFuture(null));
  }

  @Test
  void cutByRowsAtExactlyMaxRows() {
    PipelineConfig.Batch limits = new PipelineConfig.Batch(3, 1 << 30, 600_000);
    Batch b = batch();
    b.add(event(0, 0, 10));
    b.add(event(0, 1, 10));
    assertThat(b.full(limits)).isFalse();
    assertThat(b.due(limits, START)).isFalse();
    b.add(event(0, 2, 10));
    assertThat(b.rows()).isEqualTo(3);
    assertThat(b.full(limits)).isTrue();
    assertThat(b.due(limits, START)).isTrue();
  }

  @Test
  void cutByEncodedBytesBeforeTheRowLimit() {
    PipelineConfig.Batch limits = new PipelineConfig.Batch(1_000, 4_096, 600_000);
    Batch b = batch();
    int added = 0;
    long before = 0;
    while (!b.full(limits)) {
      before = b.bytes();
      b.add(event(0, added, 1_000));
      added++;
      assertThat(b.bytes()).isGreaterThan(before + 1_000);
    }
    // Full exactly when the encoded rows reach the limit, not one row earlier.
    assertThat(before).isLessThan(4_096);
    assertThat(b.bytes()).isGreaterThanOrEqualTo(4_096);
    assertThat(added).isEqualTo(4);
    assertThat(b.rows()).isLessThan(limits.maxRows());
    assertThat(b.due(limits, START)).isTrue();
  }

  @Test
  void cutByTimeOnceMaxDelayHasPassed() {
    PipelineConfig.Batch limits = new PipelineConfig.Batch(1_000, 1 << 30, 500);
    Batch b = batch();
    b.add(event(0, 0, 10));
    assertThat(b.full(limits)).isFalse();
    assertThat(b.due(limits, START + 499 * MS)).isFalse();
    assertThat(b.due(limits, START + 500 * MS)).isTrue();
  }

  @Test
  void anEmptyBatchIsNeverDue() {
    PipelineConfig.Batch limits = new PipelineConfig.Batch(1, 1_024, 10);
    assertThat(batch().due(limits, START + 3_600_000 * MS)).isFalse();
  }

  @Test
  void deadLetteredRecordsCountTowardBytesSoARunOfBadRecordsIsBounded() {
    PipelineConfig.Batch limits = new PipelineConfig.Batch(1_000, 4_096, 600_000);
    Batch b = batch();
    b.skip(0, 0, deadLetter(3_000));
    assertThat(b.full(limits)).isFalse();
    b.skip(0, 1, deadLetter(3_000));
    assertThat(b.rows()).isZero();
    assertThat(b.records()).isEqualTo(2);
    assertThat(b.bytes()).isEqualTo(6_000);
    assertThat(b.full(limits)).isTrue();
    assertThat(b.deadLetters()).hasSize(2);
  }

  @Test
  void commitsPastEveryRecordIncludingDeadLetteredOnesAndRewindsToTheFirst() {
    Batch b = batch();
    b.add(event(0, 5, 10));
    b.skip(0, 6, null);
    b.add(event(1, 10, 10));
    assertThat(b.commitOffsets())
        .isEqualTo(
            Map.of(
                new TopicPartition("t", 0), new OffsetAndMetadata(7, "topicId=id1"),
                new TopicPartition("t", 1), new OffsetAndMetadata(11, "topicId=id1")));
    assertThat(b.ranges())
        .containsExactly(new BatchLedger.Range(0, 5, 6), new BatchLedger.Range(1, 10, 10));
  }

  @Test
  void droppingARevokedPartitionForgetsItsRowsRangeAndOffsets() {
    Batch b = batch();
    b.add(event(0, 5, 10));
    b.add(event(1, 10, 10));
    b.skip(1, 11, null);
    b.add(event(2, 3, 10));
    long bytesBefore = b.bytes();
    b.drop(List.of(1));
    assertThat(b.rows()).isEqualTo(2);
    assertThat(b.records()).isEqualTo(2);
    assertThat(b.bytes()).isLessThan(bytesBefore).isPositive();
    assertThat(b.partitions()).containsExactly(0, 2);
    assertThat(b.commitOffsets()).doesNotContainKey(new TopicPartition("t", 1));
    b.drop(List.of(0, 2));
    assertThat(b.isEmpty()).isTrue();
    assertThat(b.bytes()).isZero();
  }

  @Test
  void deduplicationTokenDependsOnlyOnTheTopicIdAndTheOffsetRanges() {
    Batch one = batch();
    one.add(event(0, 5, 10));
    one.add(event(0, 6, 10));
    Batch same = new Batch("t", "id1", null, START + 999 * MS);
    same.add(event(0, 5, 99));
    same.skip(0, 6, null);
    Batch other = batch();
    other.add(event(0, 5, 10));
    other.add(event(0, 7, 10));
    assertThat(one.deduplicationToken("ns/p")).isEqualTo(same.deduplicationToken("ns/p"));
    assertThat(one.deduplicationToken("ns/p")).isNotEqualTo(other.deduplicationToken("ns/p"));
    assertThat(one.deduplicationToken("ns/p")).isNotEqualTo(one.deduplicationToken("ns/q"));
    // A recreated topic (new id, offsets from 0 again) never reuses the old topic's tokens.
    Batch recreated = new Batch("t", "id2", null, START);
    recreated.add(event(0, 5, 10));
    recreated.add(event(0, 6, 10));
    assertThat(recreated.deduplicationToken("ns/p")).isNotEqualTo(one.deduplicationToken("ns/p"));
    assertThat(one.ledgerEntry("ns/p"))
        .isEqualTo(
            new BatchLedger.Entry(
                "id1",
                one.deduplicationToken("ns/p"),
                List.of(new BatchLedger.Range(0, 5, 6)),
                false));
  }
}
