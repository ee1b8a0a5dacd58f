package dev.logpipe.sandbox.users;

import static dev.logpipe.sandbox.users.ScramClients.consume;
import static dev.logpipe.sandbox.users.ScramClients.decode;
import static dev.logpipe.sandbox.users.ScramClients.plain;
import static dev.logpipe.sandbox.users.ScramClients.producer;
import static dev.logpipe.sandbox.users.ScramClients.scram;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.testing.TestingKubeApiServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserBuilder;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/**
 * The user stand-in on a real control plane (kube-apiserver, etcd) and the real dev Kafka's SCRAM
 * listener: a KafkaUser gets a credential that works with the {@code sasl.jaas.config} of its
 * Secret, exactly its ACLs (authorization errors on any other topic, group or operation), loses a
 * rule removed from its spec, gets a new password when its Secret is deleted (as Strimzi renews a
 * generated one), and is gone from Kafka and Kubernetes once deleted.
 */
@WithDevServices(DevServices.Kind.KAFKA)
class SandboxUserControllerIT {
  private static final String NS = "kafka";

  @Test
  void aKafkaUserGetsExactlyItsAclsAndIsRemovedWithItsSecret(DevServices services)
      throws Exception {
    try (TestingKubeApiServer kube = new TestingKubeApiServer(false);
        Admin admin = Admin.create(Map.of("bootstrap.servers", services.kafkaBootstrap()));
        SandboxUserController controller =
            new SandboxUserController(kube.client(), services.kafkaBootstrap(), Clock.systemUTC())
                .start()) {
      KubernetesClient client = kube.client();
      kube.namespace(NS, Map.of());
      admin
          .createTopics(
              List.of(
                  new NewTopic("uc-a.logs", 1, (short) 1),
                  new NewTopic("uc-a.logs.dlq", 1, (short) 1),
                  new NewTopic("uc-b.logs", 1, (short) 1)))
          .all()
          .get();
      try (KafkaProducer<byte[], byte[]> superUser = producer(plain(services.kafkaBootstrap()))) {
        for (String topic : List.of("uc-a.logs", "uc-b.logs")) {
          superUser.send(new ProducerRecord<>(topic, bytes(topic + "-record"))).get();
        }
      }

      client
          .resource(
              user(
                  rule("topic", "uc-a.logs", AclOperation.READ),
                  rule("group", "uc-a", AclOperation.READ),
                  rule("topic", "uc-a.logs.dlq", AclOperation.WRITE)))
          .create();
      await().atMost(Duration.ofSeconds(60)).until(() -> ready(client, 1));

      KafkaUser ready = client.resources(KafkaUser.class).inNamespace(NS).withName("uc-a").get();
      assertThat(ready.getStatus().getUsername()).isEqualTo("uc-a");
      assertThat(ready.getStatus().getSecret()).isEqualTo("uc-a");
      Secret secret = client.secrets().inNamespace(NS).withName("uc-a").get();
      assertThat(secret.getData()).containsOnlyKeys("password", "sasl.jaas.config");
      assertThat(secret.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(o -> assertThat(o.getUid()).isEqualTo(ready.getMetadata().getUid()));
      String password = decode(secret, "password");
      assertThat(password).hasSize(KafkaUserSecret.PASSWORD_LENGTH);
      assertThat(decode(secret, "sasl.jaas.config")).contains("username=\"uc-a\"", password);
      assertThat(
              admin.describeAcls(AclBindingFilter.ANY).values().get().stream()
                  .filter(b -> b.entry().principal().equals("User:uc-a")))
          .hasSize(3);

      Properties asUser = scram(services.kafkaScramBootstrap(), decode(secret, "sasl.jaas.config"));
      assertThat(consume(asUser, "uc-a", "uc-a.logs")).containsExactly("uc-a.logs-record");
      try (KafkaProducer<byte[], byte[]> producer = producer(asUser)) {
        producer.send(new ProducerRecord<>("uc-a.logs.dlq", bytes("dead"))).get();
      }
      assertThatThrownBy(() -> consume(asUser, "uc-a", "uc-b.logs"))
          .isInstanceOf(TopicAuthorizationException.class);
      assertThatThrownBy(() -> consume(asUser, "uc-b", "uc-a.logs"))
          .isInstanceOf(GroupAuthorizationException.class);
      assertThatThrownBy(() -> produce(asUser, "uc-a.logs")) // READ does not allow WRITE
          .hasCauseInstanceOf(TopicAuthorizationException.class);
      assertThatThrownBy(() -> produce(asUser, "uc-b.logs"))
          .hasCauseInstanceOf(TopicAuthorizationException.class);

      // A rule removed from the spec is removed from Kafka; the password stays.
      client
          .resources(KafkaUser.class)
          .inNamespace(NS)
          .withName("uc-a")
          .edit(
              u -> {
                u.getSpec()
                    .setAuthorization(
                        user(
                                rule("topic", "uc-a.logs", AclOperation.READ),
                                rule("group", "uc-a", AclOperation.READ))
                            .getSpec()
                            .getAuthorization());
                return u;
              });
      await().atMost(Duration.ofSeconds(60)).until(() -> ready(client, 2));
      assertThat(decode(client.secrets().inNamespace(NS).withName("uc-a").get(), "password"))
          .isEqualTo(password);
      assertThatThrownBy(() -> produce(asUser, "uc-a.logs.dlq"))
          .hasCauseInstanceOf(TopicAuthorizationException.class);
      assertThat(consume(asUser, "uc-a", "uc-a.logs")).containsExactly("uc-a.logs-record");

      // As Strimzi: a deleted user Secret comes back with a new password, the old one refused.
      String uid = client.secrets().inNamespace(NS).withName("uc-a").get().getMetadata().getUid();
      client.secrets().inNamespace(NS).withName("uc-a").delete();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                Secret s = client.secrets().inNamespace(NS).withName("uc-a").get();
                return s != null && !s.getMetadata().getUid().equals(uid);
              });
      Secret renewed = client.secrets().inNamespace(NS).withName("uc-a").get();
      assertThat(decode(renewed, "password")).hasSize(32).isNotEqualTo(password);
      Properties asRenewed =
          scram(services.kafkaScramBootstrap(), decode(renewed, "sasl.jaas.config"));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(consume(asRenewed, "uc-a", "uc-a.logs")).isNotEmpty());
      assertThatThrownBy(() -> consume(asUser, "uc-a", "uc-a.logs"))
          .isInstanceOf(SaslAuthenticationException.class);

      client.resources(KafkaUser.class).inNamespace(NS).withName("uc-a").delete();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> client.secrets().inNamespace(NS).withName("uc-a").get() == null);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  admin.describeAcls(AclBindingFilter.ANY).values().get().stream()
                      .noneMatch(b -> b.entry().principal().equals("User:uc-a")));
      assertThatThrownBy(() -> consume(asUser, "uc-a", "uc-a.logs"))
          .isInstanceOf(SaslAuthenticationException.class);
    }
  }

  private static KafkaUser user(AclRule... rules) {
    return new KafkaUserBuilder()
        .withNewMetadata()
        .withName("uc-a")
        .withNamespace(NS)
        .addToLabels("strimzi.io/cluster", "sandbox")
        .endMetadata()
        .withNewSpec()
        .withNewKafkaUserScramSha512ClientAuthentication()
        .endKafkaUserScramSha512ClientAuthentication()
        .withNewKafkaUserAuthorizationSimple()
        .withAcls(rules)
        .endKafkaUserAuthorizationSimple()
        .endSpec()
        .build();
  }

  private static AclRule rule(String type, String name, AclOperation operation) {
    AclRuleBuilder b = new AclRuleBuilder().withOperations(operation);
    return "topic".equals(type)
        ? b.withNewAclRuleTopicResource().withName(name).endAclRuleTopicResource().build()
        : b.withNewAclRuleGroupResource().withName(name).endAclRuleGroupResource().build();
  }

  private static boolean ready(KubernetesClient client, long generation) {
    KafkaUser u = client.resources(KafkaUser.class).inNamespace(NS).withName("uc-a").get();
    return u != null
        && u.getStatus() != null
        && u.getStatus().getObservedGeneration() == generation
        && u.getMetadata().getGeneration() == generation
        && KafkaUser.isReady().test(u);
  }

  private static void produce(Properties props, String topic) throws Exception {
    ScramClients.produce(props, topic, "forged");
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
