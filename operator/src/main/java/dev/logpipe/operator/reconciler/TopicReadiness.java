package dev.logpipe.operator.reconciler;

import dev.logpipe.operator.status.ConditionResult;
import dev.logpipe.operator.status.Reason;
import io.strimzi.api.kafka.model.common.Condition;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.List;

/** TopicReady from the KafkaTopics' own Ready conditions, as Strimzi's topic operator sets them. */
final class TopicReadiness {
  private TopicReadiness() {}

  /**
   * @param topics the expected topics' names paired with the KafkaTopic found (or null)
   */
  static ConditionResult of(List<Expected> topics) {
    for (Expected e : topics) {
      ConditionResult notReady = notReady(e);
      if (notReady != null) {
        return notReady;
      }
    }
    String names = String.join(" and ", topics.stream().map(Expected::name).toList());
    return ConditionResult.isTrue(
        Reason.TopicReady, (topics.size() > 1 ? "Topics " : "Topic ") + names + " ready.");
  }

  record Expected(String namespace, String name, KafkaTopic found) {}

  private static ConditionResult notReady(Expected e) {
    String where = e.namespace() + "/" + e.name();
    if (e.found() == null) {
      return ConditionResult.isFalse(
          Reason.KafkaTopicMissing, "KafkaTopic " + where + " is being created.");
    }
    var status = e.found().getStatus();
    Long generation = e.found().getMetadata().getGeneration();
    Condition ready =
        status == null || status.getConditions() == null
            ? null
            : status.getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()))
                .findFirst()
                .orElse(null);
    boolean current =
        status == null
            || status.getObservedGeneration() == 0
            || generation == null
            || status.getObservedGeneration() >= generation;
    if (ready != null && "True".equals(ready.getStatus()) && current) {
      return null;
    }
    if (ready != null && "False".equals(ready.getStatus())) {
      return ConditionResult.isFalse(
          Reason.TopicNotReady,
          "Strimzi reports KafkaTopic "
              + where
              + " not ready"
              + (ready.getMessage() == null ? "." : ": " + ready.getMessage()));
    }
    return ConditionResult.isFalse(
        Reason.TopicNotReady,
        "Waiting for Strimzi's topic operator to report KafkaTopic " + where + " ready.");
  }
}
