package dev.logpipe.sandbox.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.sandbox.SandboxCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone generator as a person runs it ({@code bin/sandbox loggen}) against a real Kafka
 * with a fixed count: exactly that many lines arrive, the broken ones among them. The gateway sink
 * is driven the same way by {@code SandboxEndToEndIT}.
 */
@WithDevServices(DevServices.Kind.KAFKA)
class LogGeneratorMainIT {
  @TempDir Path dir;

  @Test
  void sendsExactlyTheCountToKafka(DevServices services) throws Exception {
    String topic = "loggen-" + System.nanoTime();
    try (Admin admin =
        Admin.create(Map.<String, Object>of("bootstrap.servers", services.kafkaBootstrap()))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 3, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    SandboxCommand run =
        SandboxCommand.start(
            dir,
            "loggen",
            "--kafka",
            services.kafkaBootstrap(),
            "--topic",
            topic,
            "--count",
            "2345",
            "--rate",
            "1000",
            "--malformed-every",
            "100",
            "--burst-every",
            "1s",
            "--burst-length",
            "500ms",
            "--burst-rate",
            "200");
    int exit = run.waitForExit(Duration.ofSeconds(60));
    String out = run.output();
    assertThat(exit).as(out).isZero();
    java.util.regex.Matcher done =
        java.util.regex.Pattern.compile(
                "done: sent 2345 lines \\(\\d+ errors, (\\d+) in bursts, (\\d+) malformed\\), 0 not"
                    + " acknowledged")
            .matcher(out);
    assertThat(done.find()).as(out).isTrue();
    long malformed = Long.parseLong(done.group(2));
    assertThat(Long.parseLong(done.group(1))).as("burst lines").isPositive();
    assertThat(malformed).as("broken lines, about one in 100").isBetween(15L, 23L);

    List<ConsumerRecord<byte[], byte[]>> records = readAll(services, topic, 2345);
    assertThat(records).hasSize(2345);
    long broken = records.stream().filter(r -> !isJsonObject(r.value())).count();
    assertThat(broken).isEqualTo(malformed);
  }

  /** Strict UTF-8 JSON object, as the worker's parser wants it. */
  private static boolean isJsonObject(byte[] value) {
    try {
      return new ObjectMapper().readTree(value).isObject();
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(
      DevServices services, String topic, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrap());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "loggen-it");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      Instant end = Instant.now().plusSeconds(30);
      while (Instant.now().isBefore(end) && records.size() < expected) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
      // A little longer: more than expected would be a defect too.
      consumer.poll(Duration.ofSeconds(2)).forEach(records::add);
    }
    return records;
  }
}
