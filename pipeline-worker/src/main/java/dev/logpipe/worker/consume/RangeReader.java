package dev.logpipe.worker.consume;

import dev.logpipe.worker.sink.BatchLedger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads exact offset ranges of the topic with a consumer of its own (assigned, not subscribed, no
 * group), so a batch recorded in the ledger can be rebuilt even for partitions this worker does not
 * own, without moving the group consumer. Records the log no longer holds (retention) are simply
 * absent from the result.
 */
final class RangeReader implements AutoCloseable {
  private final Supplier<Consumer<byte[], byte[]>> factory;
  private final Duration timeout;
  private Consumer<byte[], byte[]> consumer;

  RangeReader(Supplier<Consumer<byte[], byte[]>> factory, Duration timeout) {
    this.factory = factory;
    this.timeout = timeout;
  }

  /** The records of {@code ranges}, partition after partition, each in offset order. */
  List<ConsumerRecord<byte[], byte[]>> read(String topic, List<BatchLedger.Range> ranges) {
    if (consumer == null) {
      consumer = factory.get();
    }
    Map<TopicPartition, BatchLedger.Range> wanted = new HashMap<>();
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> read = new HashMap<>();
    for (BatchLedger.Range r : ranges) {
      TopicPartition tp = new TopicPartition(topic, r.partition());
      wanted.put(tp, r);
      read.put(tp, new ArrayList<>());
    }
    consumer.assign(wanted.keySet());
    wanted.forEach((tp, r) -> consumer.seek(tp, r.first()));
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<TopicPartition, BatchLedger.Range> open = new HashMap<>(wanted);
    while (!open.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new KafkaException("timed out re-reading " + open.values() + " of " + topic);
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        BatchLedger.Range r = wanted.get(tp);
        if (r != null && record.offset() >= r.first() && record.offset() <= r.last()) {
          read.get(tp).add(record);
        }
      }
      // Done with a partition once its position passed the range (reached or skipped by the log).
      open.entrySet().removeIf(e -> consumer.position(e.getKey()) > e.getValue().last());
      consumer.pause(wanted.keySet().stream().filter(tp -> !open.containsKey(tp)).toList());
    }
    consumer.assign(List.of());
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (BatchLedger.Range r : ranges) {
      records.addAll(read.get(new TopicPartition(topic, r.partition())));
    }
    return records;
  }

  @Override
  public void close() {
    if (consumer != null) {
      consumer.close(Duration.ofSeconds(2));
    }
  }
}
