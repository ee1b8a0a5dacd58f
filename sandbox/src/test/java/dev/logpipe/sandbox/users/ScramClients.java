package dev.logpipe.sandbox.users;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Kafka clients for the user ITs, as a plaintext super user or with a user Secret's JAAS line. */
final class ScramClients {
  private ScramClients() {}

  static Properties plain(String bootstrap) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    return props;
  }

  /** Client properties that log in with the {@code sasl.jaas.config} of a Strimzi user Secret. */
  static Properties scram(String bootstrap, Secret userSecret) {
    return scram(bootstrap, decode(userSecret, "sasl.jaas.config"));
  }

  static Properties scram(String bootstrap, String jaasConfig) {
    Properties props = plain(bootstrap);
    props.put("security.protocol", "SASL_PLAINTEXT");
    props.put("sasl.mechanism", "SCRAM-SHA-512");
    props.put("sasl.jaas.config", jaasConfig);
    return props;
  }

  static String decode(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  /** Reads partition 0 from its start in a group and commits (the group's ACL is checked then). */
  static List<String> consume(Properties base, String group, String topic) {
    Properties props = new Properties();
    props.putAll(base);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      consumer.seekToBeginning(consumer.assignment()); // the group may have committed already
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(new String(r.value())));
      }
      consumer.commitSync();
    }
    return values;
  }

  /**
   * Joins {@code group} by subscribing, as the worker does, and polls until records or an error.
   */
  static List<String> subscribe(Properties base, String group, String topic) {
    Properties props = new Properties();
    props.putAll(base);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(new String(r.value())));
      }
    }
    return values;
  }

  static void produce(Properties props, String topic, String value) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = producer(props)) {
      producer.send(new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8))).get();
    }
  }

  static KafkaProducer<byte[], byte[]> producer(Properties base) {
    Properties props = new Properties();
    props.putAll(base);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
