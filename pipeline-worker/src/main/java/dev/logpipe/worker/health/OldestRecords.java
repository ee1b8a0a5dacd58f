package dev.logpipe.worker.health;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the Kafka timestamp of the record at a given offset per partition, with a consumer of its
 * own (no group, nothing committed) that fetches as little as the broker allows: the age of the
 * oldest record not yet stored is the lag in seconds.
 */
final class OldestRecords implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;

  OldestRecords(Properties clientProperties) {
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "1024");
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(64 * 1024));
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, props.getProperty("client.id", "logpipe") + "-lag");
    this.consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * The timestamp of the first record at or after each offset, as far as found within {@code wait}.
   */
  Map<TopicPartition, Long> timestamps(Map<TopicPartition, Long> from, Duration wait) {
    Map<TopicPartition, Long> found = new HashMap<>();
    if (from.isEmpty()) {
      return found;
    }
    consumer.assign(from.keySet());
    from.forEach(consumer::seek);
    long deadline = System.nanoTime() + wait.toNanos();
    while (found.size() < from.size() && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        found.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.timestamp());
      }
      consumer.pause(found.keySet());
    }
    consumer.assign(java.util.List.of());
    return found;
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
