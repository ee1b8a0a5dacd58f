package dev.logpipe.operator.model;

import dev.logpipe.operator.api.v1alpha1.ClusterLogBackendSpec;
import dev.logpipe.operator.api.v1alpha1.LogPipelineSpec;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;
import java.util.Map;
import java.util.TreeMap;

/**
 * Desired Strimzi KafkaTopics of a pipeline. They live in the Strimzi cluster's namespace, so an
 * owner reference cannot tie them to the LogPipeline: JOSDK's default primary annotations do
 * (readable with {@code Mappers.fromDefaultAnnotations}), and a finalizer removes them.
 */
public final class KafkaTopicFactory {
  public static final String API_VERSION = "kafka.strimzi.io/v1";
  public static final String CLUSTER_LABEL = "strimzi.io/cluster";

  /** Dead letters are kept at least a week (unless the backend caps retention lower). */
  static final int DEAD_LETTER_RETENTION_HOURS = 7 * 24;

  private KafkaTopicFactory() {}

  public static KafkaTopic topic(
      PipelineNames names, LogPipelineSpec spec, ClusterLogBackendSpec backend) {
    return build(names, names.topic(), "topic", spec, backend, spec.getTopic().getRetentionHours());
  }

  public static KafkaTopic deadLetterTopic(
      PipelineNames names, LogPipelineSpec spec, ClusterLogBackendSpec backend) {
    int hours =
        Math.max(
            spec.getTopic().getRetentionHours(),
            Math.min(DEAD_LETTER_RETENTION_HOURS, backend.getLimits().getMaxRetentionHours()));
    return build(names, names.deadLetterTopic(), "dead-letter-topic", spec, backend, hours);
  }

  /**
   * The number as it comes back from the API server in this free-form map: JSON integers that fit
   * an int are read as Integer. Keeping the desired value the same type lets JOSDK's SSA matcher
   * see no change, instead of re-applying the topic on every reconciliation.
   */
  static Object jsonInteger(long value) {
    return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? (Object) (int) value : value;
  }

  private static KafkaTopic build(
      PipelineNames names,
      String topicName,
      String component,
      LogPipelineSpec spec,
      ClusterLogBackendSpec backend,
      int retentionHours) {
    Map<String, String> labels = names.labels(component);
    labels.put(CLUSTER_LABEL, backend.getKafka().getStrimziCluster().getName());
    Map<String, Object> config = new TreeMap<>();
    config.put("retention.ms", jsonInteger(retentionHours * 3_600_000L));
    config.put("cleanup.policy", "delete");
    return new KafkaTopicBuilder()
        .withApiVersion(API_VERSION)
        .withNewMetadata()
        // Topic names of DNS-label namespaces and names are valid resource names as they are.
        .withName(topicName)
        .withNamespace(backend.getKafka().getStrimziCluster().getNamespace())
        .withLabels(labels)
        .withAnnotations(
            Map.of(
                Mappers.DEFAULT_ANNOTATION_FOR_NAMESPACE, names.namespace(),
                Mappers.DEFAULT_ANNOTATION_FOR_NAME, names.name()))
        .endMetadata()
        .withNewSpec()
        .withTopicName(topicName)
        .withPartitions(spec.getTopic().getPartitions())
        .withReplicas(spec.getTopic().getReplicas())
        .withConfig(config)
        .endSpec()
        .build();
  }
}
