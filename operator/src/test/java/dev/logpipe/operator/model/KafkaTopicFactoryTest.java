package dev.logpipe.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.junit.jupiter.api.Test;

class KafkaTopicFactoryTest {
  private final ClusterLogBackend backend = TestingFixtures.backend();
  private final LogPipeline pipeline = TestingFixtures.pipeline("team-payments", "payments");

  private PipelineNames names() {
    return PipelineNames.of(pipeline, backend);
  }

  @Test
  void topicGoesToTheStrimziNamespaceWithClusterLabelAndPrimaryAnnotations() {
    pipeline.getSpec().getTopic().setPartitions(6);
    pipeline.getSpec().getTopic().setReplicas(3);
    pipeline.getSpec().getTopic().setRetentionHours(72);

    KafkaTopic topic = KafkaTopicFactory.topic(names(), pipeline.getSpec(), backend.getSpec());

    assertThat(topic.getApiVersion()).isEqualTo("kafka.strimzi.io/v1");
    assertThat(Serialization.asYaml(topic)).contains("apiVersion: \"kafka.strimzi.io/v1\"");
    assertThat(topic.getMetadata().getName()).isEqualTo("logpipe.team-payments.payments");
    assertThat(topic.getMetadata().getNamespace()).isEqualTo("kafka");
    assertThat(topic.getMetadata().getLabels())
        .containsEntry("strimzi.io/cluster", "logs")
        .containsEntry("logpipe.dev/pipeline-namespace", "team-payments")
        .containsEntry("logpipe.dev/pipeline-name", "payments");
    assertThat(topic.getMetadata().getAnnotations())
        .containsEntry("io.javaoperatorsdk/primary-namespace", "team-payments")
        .containsEntry("io.javaoperatorsdk/primary-name", "payments");
    assertThat(topic.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(topic.getSpec().getTopicName()).isEqualTo("logpipe.team-payments.payments");
    assertThat(topic.getSpec().getPartitions()).isEqualTo(6);
    assertThat(topic.getSpec().getReplicas()).isEqualTo(3);
    assertThat(topic.getSpec().getConfig()).containsEntry("retention.ms", 72 * 3_600_000);
  }

  @Test
  void deadLetterTopicHasSamePartitionsAndKeepsRecordsAWeek() {
    pipeline.getSpec().getTopic().setPartitions(6);

    KafkaTopic dlq =
        KafkaTopicFactory.deadLetterTopic(names(), pipeline.getSpec(), backend.getSpec());

    assertThat(dlq.getMetadata().getName()).isEqualTo("logpipe.team-payments.payments.dlq");
    assertThat(dlq.getSpec().getPartitions()).isEqualTo(6);
    assertThat(dlq.getSpec().getConfig()).containsEntry("retention.ms", 168 * 3_600_000);
  }

  @Test
  void deadLetterRetentionNeverExceedsTheBackendCapUnlessTheTopicItselfIsLonger() {
    backend.getSpec().getLimits().setMaxRetentionHours(48);
    pipeline.getSpec().getTopic().setRetentionHours(24);

    KafkaTopic dlq =
        KafkaTopicFactory.deadLetterTopic(names(), pipeline.getSpec(), backend.getSpec());

    assertThat(dlq.getSpec().getConfig()).containsEntry("retention.ms", 48 * 3_600_000);
  }
}
