package dev.logpipe.devservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dev Kafka's SCRAM listener enforces ACLs, so per-pipeline Kafka users can be proven here: a
 * user with the ACLs a pipeline's worker gets (read its topic in its group, write its dead-letter
 * topic) reads and writes those and nothing else; a wrong password is refused.
 */
class KafkaScramIT {
  @TempDir static Path dir;
  private static KafkaDevService kafka;

  @BeforeAll
  static void start() throws Exception {
    kafka = new KafkaDevService(dir.resolve("kafka"));
    kafka.start();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.endpoint()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic("team-a.logs", 1, (short) 1),
                  new NewTopic("team-a.logs.dlq", 1, (short) 1),
                  new NewTopic("team-b.logs", 1, (short) 1)))
          .all()
          .get();
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      "pipeline-a",
                      new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                      "secret-a")))
          .all()
          .get();
      admin
          .createAcls(
              List.of(
                  allow("pipeline-a", ResourceType.TOPIC, "team-a.logs", AclOperation.READ),
                  allow("pipeline-a", ResourceType.GROUP, "team-a", AclOperation.READ),
                  allow("pipeline-a", ResourceType.TOPIC, "team-a.logs.dlq", AclOperation.WRITE)))
          .all()
          .get();
    }
    try (KafkaProducer<byte[], byte[]> admin = producer(kafka.endpoint(), null, null)) {
      for (String topic : List.of("team-a.logs", "team-b.logs")) {
        admin.send(new ProducerRecord<>(topic, bytes(topic + "-record"))).get();
      }
    }
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  @Test
  void aPipelineUserReadsItsTopicInItsGroupAndWritesItsDeadLetterTopic() throws Exception {
    assertThat(consume("pipeline-a", "secret-a", "team-a", "team-a.logs"))
        .containsExactly("team-a.logs-record");
    try (KafkaProducer<byte[], byte[]> producer =
        producer(kafka.scramEndpoint(), "pipeline-a", "secret-a")) {
      assertThat(producer.send(new ProducerRecord<>("team-a.logs.dlq", bytes("x"))).get().offset())
          .isZero();
    }
  }

  @Test
  void aPipelineUserCannotReadAnotherTopicJoinAnotherGroupOrWriteAnotherTopic() {
    assertThatThrownBy(() -> consume("pipeline-a", "secret-a", "team-a", "team-b.logs"))
        .isInstanceOf(TopicAuthorizationException.class)
        .hasMessageContaining("team-b.logs");
    assertThatThrownBy(() -> consume("pipeline-a", "secret-a", "team-b", "team-a.logs"))
        .isInstanceOf(GroupAuthorizationException.class);
    assertThatThrownBy(
            () -> {
              try (KafkaProducer<byte[], byte[]> producer =
                  producer(kafka.scramEndpoint(), "pipeline-a", "secret-a")) {
                producer.send(new ProducerRecord<>("team-b.logs", bytes("forged"))).get();
              }
            })
        .hasCauseInstanceOf(TopicAuthorizationException.class);
  }

  @Test
  void aWrongPasswordIsRefused() {
    assertThatThrownBy(() -> consume("pipeline-a", "not-the-secret", "team-a", "team-a.logs"))
        .isInstanceOf(SaslAuthenticationException.class);
  }

  private static AclBinding allow(
      String user, ResourceType type, String name, AclOperation operation) {
    return new AclBinding(
        new ResourcePattern(type, name, PatternType.LITERAL),
        new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
  }

  /** Reads a topic from the start in a group, as the given SCRAM user (first poll's records). */
  private static List<String> consume(String user, String password, String group, String topic) {
    Properties props = scram(kafka.scramEndpoint(), user, password);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(new String(r.value())));
      }
      consumer.commitSync(); // the group's authorization is checked on commit
    }
    return values;
  }

  private static KafkaProducer<byte[], byte[]> producer(
      String bootstrap, String user, String password) {
    Properties props = user == null ? new Properties() : scram(bootstrap, user, password);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static Properties scram(String bootstrap, String user, String password) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("security.protocol", "SASL_PLAINTEXT");
    props.put("sasl.mechanism", "SCRAM-SHA-512");
    props.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + user
            + "\" password=\""
            + password
            + "\";");
    return props;
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
