package dev.logpipe.sandbox.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.testing.TestingKubernetes;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The topic stand-in never loops: a topic Kafka refuses (0 partitions) is retried with backoff, its
 * status written only when it changes, and forgotten once the KafkaTopic is deleted. Before, it
 * wrote status ~250 times a second, forever (issue 13, finding 3).
 */
@WithDevServices(DevServices.Kind.KAFKA)
class SandboxTopicControllerIT {
  private static final String NS = "kafka";

  @Test
  void aTopicKafkaRefusesIsRetriedWithBackoffAndForgottenWhenDeleted(DevServices services)
      throws Exception {
    try (TestingKubernetes kubernetes = new TestingKubernetes();
        SandboxTopicController controller =
            new SandboxTopicController(
                    kubernetes.client(), services.kafkaBootstrap(), Clock.systemUTC())
                .start()) {
      kubernetes.namespace(NS, Map.of());
      create(kubernetes, "zero", 0);
      create(kubernetes, "fine", 2);

      await().atMost(Duration.ofSeconds(30)).until(() -> "False".equals(ready(kubernetes, "zero")));
      assertThat(message(kubernetes, "zero")).startsWith("Kafka: ");
      await().atMost(Duration.ofSeconds(30)).until(() -> "True".equals(ready(kubernetes, "fine")));

      // Over 5 s the backoff allows 1 + 2 + 4 s of retries; the status says the same each time,
      // so it is written once. The old controller wrote it ~250 times a second.
      long before = statusWrites(kubernetes);
      await()
          .during(Duration.ofSeconds(5))
          .atMost(Duration.ofSeconds(6))
          .until(() -> statusWrites(kubernetes) - before <= 1);
      assertThat(controller.retrying(NS + "/zero")).isTrue();

      kubernetes.client().resources(KafkaTopic.class).inNamespace(NS).withName("zero").delete();

      await().atMost(Duration.ofSeconds(10)).until(() -> !controller.retrying(NS + "/zero"));
      long afterDelete = statusWrites(kubernetes);
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(4))
          .until(() -> statusWrites(kubernetes) == afterDelete);
    }
  }

  private static void create(TestingKubernetes kubernetes, String name, int partitions) {
    kubernetes
        .client()
        .resource(
            new KafkaTopicBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withPartitions(partitions)
                .withReplicas(1)
                .endSpec()
                .build())
        .create();
  }

  private static long statusWrites(TestingKubernetes kubernetes) {
    return kubernetes.dispatcher().requestCounts().entrySet().stream()
        .filter(e -> e.getKey().endsWith("kafkatopics/status") && !e.getKey().startsWith("GET"))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private static String ready(TestingKubernetes kubernetes, String name) {
    KafkaTopic t =
        kubernetes.client().resources(KafkaTopic.class).inNamespace(NS).withName(name).get();
    if (t == null || t.getStatus() == null || t.getStatus().getConditions() == null) {
      return null;
    }
    return t.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(c -> c.getStatus())
        .findFirst()
        .orElse(null);
  }

  private static String message(TestingKubernetes kubernetes, String name) {
    return kubernetes
        .client()
        .resources(KafkaTopic.class)
        .inNamespace(NS)
        .withName(name)
        .get()
        .getStatus()
        .getConditions()
        .get(0)
        .getMessage();
  }
}
