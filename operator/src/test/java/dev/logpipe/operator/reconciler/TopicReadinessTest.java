package dev.logpipe.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.status.ConditionStatus;
import dev.logpipe.operator.status.Reason;
import io.strimzi.api.kafka.model.common.ConditionBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicReadinessTest {
  private static KafkaTopic topic(String ready, String message, long generation, long observed) {
    return new KafkaTopicBuilder()
        .withNewMetadata()
        .withName("t")
        .withGeneration(generation)
        .endMetadata()
        .withNewStatus()
        .withObservedGeneration(observed)
        .withConditions(
            new ConditionBuilder().withType("Ready").withStatus(ready).withMessage(message).build())
        .endStatus()
        .build();
  }

  private static TopicReadiness.Expected expected(String name, KafkaTopic found) {
    return new TopicReadiness.Expected("kafka", name, found);
  }

  @Test
  void readyOnlyWhenEveryExpectedTopicIsReadyForItsCurrentGeneration() {
    var main = expected("a", topic("True", null, 2, 2));
    assertThat(TopicReadiness.of(List.of(main)).status()).isEqualTo(ConditionStatus.True);
    var dlq = expected("a.dlq", topic("True", null, 2, 1));
    var r = TopicReadiness.of(List.of(main, dlq));
    assertThat(r.reason()).isEqualTo(Reason.TopicNotReady);
    assertThat(r.message()).contains("kafka/a.dlq");
  }

  @Test
  void strimziFailureMessageIsPassedOn() {
    var r = TopicReadiness.of(List.of(expected("a", topic("False", "replicas > brokers", 1, 1))));
    assertThat(r.message())
        .isEqualTo("Strimzi reports KafkaTopic kafka/a not ready: replicas > brokers");
  }

  @Test
  void missingTopicIsBeingCreated() {
    assertThat(TopicReadiness.of(List.of(expected("a", null))).reason())
        .isEqualTo(Reason.KafkaTopicMissing);
  }
}
