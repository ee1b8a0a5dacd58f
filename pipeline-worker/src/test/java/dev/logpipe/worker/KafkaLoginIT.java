package dev.logpipe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.worker.config.KafkaLogin;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.config.PipelineConfigLoader;
import dev.logpipe.worker.consume.ReliableProducer;
import dev.logpipe.worker.it.WorkerKafkaUser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The worker's own Kafka clients (consumer in its group, topic-id admin, lag probe, dead-letter
 * producer) log in on the dev Kafka's SCRAM listener with the user from {@code LOGPIPE_KAFKA_*} and
 * need no more than the ACLs a pipeline's KafkaUser grants (READ topic and group, WRITE dead-letter
 * topic). Without the user in the environment they cannot connect at all.
 */
@WithDevServices(DevServices.Kind.KAFKA)
class KafkaLoginIT {
  private static final String TOPIC = "logpipe.kl.p";
  private static final String DLQ = TOPIC + ".dlq";
  private static final String USER = "logpipe.kl.p.worker";

  @Test
  void theWorkersClientsWorkWithThePipelinesScramUserAndItsAclsAlone(DevServices services)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", services.kafkaBootstrap()))) {
      admin
          .createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1), new NewTopic(DLQ, 1, (short) 1)))
          .all()
          .get();
    }
    PipelineConfig fromFile = config(services.kafkaScramBootstrap());
    // The pipeline's user with exactly the worker KafkaUser's ACLs.
    WorkerKafkaUser user = WorkerKafkaUser.create(services, fromFile.kafka());
    assertThat(user.name()).isEqualTo(USER);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", services.kafkaBootstrap()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(TOPIC, bytes("line"))).get();
    }
    PipelineConfig config = KafkaLogin.apply(fromFile, user.env());

    // The consumer joins the pipeline's group and reads.
    List<String> read = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            ConsumeCommand.consumerProperties(config),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (read.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> read.add(new String(r.value())));
      }
      consumer.commitSync();
    }
    assertThat(read).containsExactly("line");

    // Topic ids (admin) and the group's committed offsets (lag probe).
    try (Admin asWorker = Admin.create(ConsumeCommand.adminProperties(config))) {
      assertThat(asWorker.describeTopics(Set.of(TOPIC)).allTopicNames().get()).containsKey(TOPIC);
    }
    try (Admin probe = Admin.create(ConsumeCommand.probeProperties(config))) {
      assertThat(probe.listConsumerGroupOffsets(TOPIC).partitionsToOffsetAndMetadata().get())
          .isNotEmpty();
    }

    // The dead-letter producer (idempotent, acks=all) writes with WRITE on the topic alone.
    try (KafkaProducer<byte[], byte[]> dlq =
        new KafkaProducer<>(
            ReliableProducer.properties(
                config, "kl-dlq", Duration.ofSeconds(15), Duration.ofSeconds(30)),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      assertThat(dlq.send(new ProducerRecord<>(DLQ, bytes("bad"))).get().offset()).isZero();
    }

    // A wrong password is refused; no user at all cannot even build a client.
    PipelineConfig wrong =
        KafkaLogin.apply(
            fromFile,
            Map.of("LOGPIPE_KAFKA_USER", USER, "LOGPIPE_KAFKA_PASSWORD", user.password() + "x"));
    try (Admin asWrong = Admin.create(ConsumeCommand.adminProperties(wrong))) {
      assertThatThrownBy(() -> asWrong.describeTopics(Set.of(TOPIC)).allTopicNames().get())
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
    assertThatThrownBy(() -> Admin.create(ConsumeCommand.adminProperties(fromFile)).close())
        .rootCause()
        .hasMessageContaining("JAAS");
  }

  private static PipelineConfig config(String scramBootstrap) {
    return PipelineConfigLoader.withDefaults(
        new PipelineConfig(
            new PipelineConfig.Pipeline("kl", "p"),
            new PipelineConfig.Kafka(
                scramBootstrap,
                TOPIC,
                TOPIC,
                DLQ,
                Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512")),
            new PipelineConfig.ClickHouse("http://127.0.0.1:8123", "logs_kl", "p"),
            null,
            null,
            null,
            null));
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
