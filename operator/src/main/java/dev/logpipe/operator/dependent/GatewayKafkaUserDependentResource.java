package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.model.KafkaUserFactory;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfig;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfigBuilder;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.util.Set;

/**
 * The gateway's KafkaUser (write-only on the pipeline's topic), reconciled only while the backend
 * has Kafka authentication and the gateway is on (see {@link GatewayKafkaUserCondition}).
 */
@KubernetesDependent(
    informer =
        @Informer(
            namespaces = Constants.WATCH_ALL_NAMESPACES,
            labelSelector = Selectors.KAFKA_USER_GATEWAY))
public class GatewayKafkaUserDependentResource extends StrimziUserDependentResource {
  public static final String NAME = "kafka-user-gateway";

  @Override
  protected KafkaUser desired(LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    return requireNotOwnedByOther(KafkaUserFactory.gateway(in.names(), in.backendSpec()), pipeline);
  }

  /** This dependent's configuration with its informer limited to {@code namespaces}. */
  public static KubernetesDependentResourceConfig<KafkaUser> watching(Set<String> namespaces) {
    return new KubernetesDependentResourceConfigBuilder<KafkaUser>()
        .withKubernetesDependentInformerConfig(
            InformerConfiguration.builder(KafkaUser.class)
                .withNamespaces(namespaces)
                .withLabelSelector(Selectors.KAFKA_USER_GATEWAY)
                .build())
        .build();
  }
}
