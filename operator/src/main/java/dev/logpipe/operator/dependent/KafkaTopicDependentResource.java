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

/** The pipeline's main topic; watched in every namespace since each backend names its own. */
@KubernetesDependent(
    informer =
        @Informer(namespaces = Constants.WATCH_ALL_NAMESPACES, labelSelector = Selectors.TOPIC))
public class KafkaTopicDependentResource extends StrimziTopicDependentResource {
  public static final String NAME = "topic";

  @Override
  protected KafkaTopic desired(LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    return requireNotOwnedByOther(
        KafkaTopicFactory.topic(in.names(), pipeline.getSpec(), in.backendSpec()), pipeline);
  }

  /** This dependent's configuration with its informer limited to {@code namespaces}. */
  public static KubernetesDependentResourceConfig<KafkaTopic> watching(Set<String> namespaces) {
    return new KubernetesDependentResourceConfigBuilder<KafkaTopic>()
        .withKubernetesDependentInformerConfig(
            InformerConfiguration.builder(KafkaTopic.class)
                .withNamespaces(namespaces)
                .withLabelSelector(Selectors.TOPIC)
                .build())
        .build();
  }
}
