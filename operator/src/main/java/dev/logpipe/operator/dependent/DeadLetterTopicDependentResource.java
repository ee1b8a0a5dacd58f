package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.model.KafkaTopicFactory;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfig;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfigBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.Set;

/**
 * The dead-letter topic, reconciled only while {@code spec.deadLetter.enabled} (see {@link
 * DeadLetterEnabledCondition}); switching it off deletes it, subject to the deletion policy.
 */
@KubernetesDependent(
    informer =
        @Informer(
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            labelSelector = Selectors.DEAD_LETTER_TOPIC))
public class DeadLetterTopicDependentResource extends StrimziTopicDependentResource {
  public static final String NAME = "dead-letter-topic";

  @Override
  protected KafkaTopic desired(LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    return requireNotOwnedByOther(
        KafkaTopicFactory.deadLetterTopic(in.names(), pipeline.getSpec(), in.backendSpec()),
        pipeline);
  }

  /** This dependent's configuration with its informer limited to {@code namespaces}. */
  public static KubernetesDependentResourceConfig<KafkaTopic> watching(Set<String> namespaces) {
    return new KubernetesDependentResourceConfigBuilder<KafkaTopic>()
        .withKubernetesDependentInformerConfig(
            InformerConfiguration.builder(KafkaTopic.class)
                .withNamespaces(namespaces)
                .withLabelSelector(Selectors.DEAD_LETTER_TOPIC)
                .build())
        .build();
  }
}
