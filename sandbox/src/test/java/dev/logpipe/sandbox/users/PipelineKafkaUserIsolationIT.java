package dev.logpipe.sandbox.users;

import static dev.logpipe.sandbox.users.ScramClients.consume;
import static dev.logpipe.sandbox.users.ScramClients.produce;
import static dev.logpipe.sandbox.users.ScramClients.scram;
import static dev.logpipe.sandbox.users.ScramClients.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.model.KafkaUserFactory;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.operator.testing.TestingKubeApiServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's Kafka proof on a real server: the KafkaUsers {@link KafkaUserFactory} makes for two
 * pipelines, applied by the Strimzi stand-in on a real kube-apiserver to the dev Kafka's SCRAM
 * listener (StandardAuthorizer). Pipeline A's worker credentials (from the Strimzi Secret) read A's
 * topic in A's group and write A's dead-letter topic, and get authorization errors reading B's
 * topic, joining B's group, or writing anywhere else; A's gateway credentials write A's topic and
 * cannot consume. Users made by the test here; {@link SandboxKafkaUsersIT} has the operator make
 * them and the worker and gateway processes log in with them.
 */
@WithDevServices(DevServices.Kind.KAFKA)
class PipelineKafkaUserIsolationIT {
  @Test
  void pipelineAsCredentialsGetAuthorizationErrorsOnPipelineBsTopicAndGroup(DevServices services)
      throws Exception {
    ClusterLogBackend backend = TestingFixtures.backend();
    String strimziNs = backend.getSpec().getKafka().getStrimziCluster().getNamespace();
    LogPipeline pipelineA = TestingFixtures.pipeline("team-a", "app");
    LogPipeline pipelineB = TestingFixtures.pipeline("team-b", "app");
    pipelineA.getSpec().getDeadLetter().setEnabled(true);
    pipelineB.getSpec().getDeadLetter().setEnabled(true);
    PipelineNames a = PipelineNames.of(pipelineA, backend);
    PipelineNames b = PipelineNames.of(pipelineB, backend);

    try (TestingKubeApiServer kube = new TestingKubeApiServer(false);
        Admin admin = Admin.create(Map.of("bootstrap.servers", services.kafkaBootstrap()));
        SandboxUserController controller =
            new SandboxUserController(kube.client(), services.kafkaBootstrap(), Clock.systemUTC())
                .start()) {
      KubernetesClient client = kube.client();
      kube.namespace(strimziNs, Map.of());
      admin
          .createTopics(
              List.of(
                  new NewTopic(a.topic(), 1, (short) 1),
                  new NewTopic(a.deadLetterTopic(), 1, (short) 1),
                  new NewTopic(b.topic(), 1, (short) 1),
                  new NewTopic(b.deadLetterTopic(), 1, (short) 1)))
          .all()
          .get();
      Properties superUser = ScramClients.plain(services.kafkaBootstrap());
      produce(superUser, a.topic(), "a-record");
      produce(superUser, b.topic(), "b-record");

      List<KafkaUser> users =
          List.of(
              KafkaUserFactory.worker(a, pipelineA.getSpec(), backend.getSpec()),
              KafkaUserFactory.gateway(a, backend.getSpec()),
              KafkaUserFactory.worker(b, pipelineB.getSpec(), backend.getSpec()));
      users.forEach(u -> client.resource(u).create());
      for (KafkaUser u : users) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    KafkaUser.isReady()
                        .test(
                            client
                                .resources(KafkaUser.class)
                                .inNamespace(strimziNs)
                                .withName(u.getMetadata().getName())
                                .get()));
      }
      String scramBootstrap = services.kafkaScramBootstrap();
      Properties workerA = scram(scramBootstrap, secret(client, strimziNs, "worker", a));
      Properties gatewayA = scram(scramBootstrap, secret(client, strimziNs, "gateway", a));
      Properties workerB = scram(scramBootstrap, secret(client, strimziNs, "worker", b));

      // What each needs works: the worker joins its group and reads, and dead-letters; the
      // gateway ingests.
      assertThat(subscribe(workerA, a.groupId(), a.topic())).containsExactly("a-record");
      produce(workerA, a.deadLetterTopic(), "dead");
      produce(gatewayA, a.topic(), "ingested");
      assertThat(subscribe(workerB, b.groupId(), b.topic())).containsExactly("b-record");

      // A's worker: B's topic, B's group, and any write but its dead-letter topic are refused.
      assertThatThrownBy(() -> consume(workerA, a.groupId(), b.topic()))
          .isInstanceOf(TopicAuthorizationException.class)
          .hasMessageContaining(b.topic());
      assertThatThrownBy(() -> subscribe(workerA, b.groupId(), a.topic()))
          .isInstanceOf(GroupAuthorizationException.class)
          .hasMessageContaining(b.groupId());
      assertThatThrownBy(() -> produce(workerA, a.topic(), "forged"))
          .hasCauseInstanceOf(TopicAuthorizationException.class);
      assertThatThrownBy(() -> produce(workerA, b.deadLetterTopic(), "forged"))
          .hasCauseInstanceOf(TopicAuthorizationException.class);

      // A's gateway cannot consume, not even its own topic, and cannot write B's topic.
      assertThatThrownBy(() -> subscribe(gatewayA, a.groupId(), a.topic()))
          .isInstanceOf(AuthorizationException.class);
      assertThatThrownBy(() -> consume(gatewayA, "any-group", a.topic()))
          .isInstanceOf(AuthorizationException.class);
      assertThatThrownBy(() -> produce(gatewayA, b.topic(), "forged"))
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  private static Secret secret(
      KubernetesClient client, String namespace, String kind, PipelineNames names) {
    String name =
        "worker".equals(kind)
            ? KafkaUserFactory.workerUser(names)
            : KafkaUserFactory.gatewayUser(names);
    return client.secrets().inNamespace(namespace).withName(name).get();
  }
}
