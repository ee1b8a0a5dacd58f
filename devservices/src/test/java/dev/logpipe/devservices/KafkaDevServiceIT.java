package dev.logpipe.devservices;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.devservices.kafka.KafkaDevService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaDevServiceIT {

  @Test
  void producesAndConsumesThroughARealBrokerAndSurvivesAKill(@TempDir Path dir) throws Exception {
    try (KafkaDevService kafka = new KafkaDevService(dir.resolve("kafka"))) {
      long t0 = System.nanoTime();
      kafka.start();
      System.out.printf("kafka ready in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.endpoint()))) {
        admin.createTopics(List.of(new NewTopic("it", 2, (short) 1))).all().get();
      }
      produce(kafka.endpoint(), 0, 100);

      kafka.kill();
      assertThat(kafka.isRunning()).isFalse();
      kafka.start();
      produce(kafka.endpoint(), 100, 100);

      List<String> values = consumeAll(kafka.endpoint(), 200);
      assertThat(values).hasSize(200);
      assertThat(values).contains("event-0", "event-99", "event-100", "event-199");
    }
  }

  private static void produce(String bootstrap, int from, int count) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = from; i < from + count; i++) {
        producer
            .send(new ProducerRecord<>("it", ("event-" + i).getBytes(StandardCharsets.UTF_8)))
            .get();
      }
    }
  }

  private static List<String> consumeAll(String bootstrap, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-group");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of("it"));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          values.add(new String(record.value(), StandardCharsets.UTF_8));
        }
      }
    }
    return values;
  }
}
