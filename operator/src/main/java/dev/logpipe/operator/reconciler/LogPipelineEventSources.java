package dev.logpipe.operator.reconciler;

import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackendSpec;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.api.v1alpha1.SecretCredentialsRef;
import dev.logpipe.operator.dependent.BackendSecrets;
import dev.logpipe.operator.dependent.KafkaUserSecrets;
import dev.logpipe.operator.model.PipelineNames;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The informers a pipeline reads but does not own: its ClusterLogBackend, its Namespace (labels
 * decide allowedNamespaces), the backend Secrets in the operator's namespace, the pods of its
 * worker and gateway Deployments (a crash loop shows only there) and the Secrets Strimzi writes for
 * its KafkaUsers. A change to any of them re-reconciles exactly the pipelines it concerns.
 */
final class LogPipelineEventSources {
  static final String BACKEND_INDEX = "backend";
  static final String PODS = "pods";

  /** Only the pods of this operator's Deployments (the labels of their pod templates). */
  static final String POD_SELECTOR =
      PipelineNames.MANAGED_BY + "=" + PipelineNames.OPERATOR + ",app.kubernetes.io/name=logpipe";

  private LogPipelineEventSources() {}

  /**
   * @param kafkaNamespaces the Strimzi namespaces the operator may watch; empty: every namespace
   */
  static List<EventSource<?, LogPipeline>> create(
      EventSourceContext<LogPipeline> context,
      String operatorNamespace,
      Set<String> kafkaNamespaces) {
    context.getPrimaryCache().addIndexer(BACKEND_INDEX, p -> List.of(p.getSpec().getBackend()));
    var backends =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ClusterLogBackend.class, LogPipeline.class)
                .withName("backend")
                .withWatchAllNamespaces()
                .withPrimaryToSecondaryMapper(
                    (PrimaryToSecondaryMapper<LogPipeline>)
                        p -> Set.of(new ResourceID(p.getSpec().getBackend())))
                .withSecondaryToPrimaryMapper(b -> pipelinesOf(context, b.getMetadata().getName()))
                .build(),
            context);
    var namespaces =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Namespace.class, LogPipeline.class)
                .withName("namespace")
                .withWatchAllNamespaces()
                .withPrimaryToSecondaryMapper(
                    (PrimaryToSecondaryMapper<LogPipeline>)
                        p -> Set.of(new ResourceID(p.getMetadata().getNamespace())))
                .withSecondaryToPrimaryMapper(
                    ns ->
                        context
                            .getPrimaryCache()
                            .list(ns.getMetadata().getName())
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    var secrets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Secret.class, LogPipeline.class)
                .withName(BackendSecrets.EVENT_SOURCE)
                .withNamespaces(operatorNamespace)
                .withSecondaryToPrimaryMapper(
                    secret ->
                        backends
                            .list(b -> refersTo(b.getSpec(), secret))
                            .flatMap(b -> pipelinesOf(context, b.getMetadata().getName()).stream())
                            .collect(Collectors.toSet()))
                .build(),
            context);
    var pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, LogPipeline.class)
                .withName(PODS)
                .withNamespacesInheritedFromController()
                .withLabelSelector(POD_SELECTOR)
                .withSecondaryToPrimaryMapper(LogPipelineEventSources::pipelineOf)
                .build(),
            context);
    // Strimzi's User Operator writes each KafkaUser's Secret next to it: a new or changed one
    // re-reconciles its pipeline, which copies the password (KafkaUserSecrets).
    var kafkaUserSecrets =
        new InformerEventSource<>(
            kafkaNamespaces(
                    InformerEventSourceConfiguration.from(Secret.class, LogPipeline.class),
                    kafkaNamespaces)
                .withName(KafkaUserSecrets.EVENT_SOURCE)
                .withLabelSelector(KafkaUserSecrets.LABEL_SELECTOR)
                .withSecondaryToPrimaryMapper(
                    secret -> KafkaUserSecrets.pipelineOf(secret.getMetadata().getName()))
                .build(),
            context);
    return new ArrayList<>(List.of(backends, namespaces, secrets, pods, kafkaUserSecrets));
  }

  private static InformerEventSourceConfiguration.Builder<Secret> kafkaNamespaces(
      InformerEventSourceConfiguration.Builder<Secret> builder, Set<String> kafkaNamespaces) {
    return kafkaNamespaces.isEmpty()
        ? builder.withWatchAllNamespaces()
        : builder.withNamespaces(kafkaNamespaces);
  }

  /** The pipeline a pod belongs to, by the labels the operator put on its pod template. */
  static Set<ResourceID> pipelineOf(Pod pod) {
    String name =
        pod.getMetadata().getLabels() == null
            ? null
            : pod.getMetadata().getLabels().get(PipelineNames.PIPELINE_NAME);
    return name == null ? Set.of() : Set.of(new ResourceID(name, pod.getMetadata().getNamespace()));
  }

  private static Set<ResourceID> pipelinesOf(
      EventSourceContext<LogPipeline> context, String backend) {
    return context.getPrimaryCache().byIndex(BACKEND_INDEX, backend).stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static boolean refersTo(ClusterLogBackendSpec spec, Secret secret) {
    String ns = secret.getMetadata().getNamespace();
    String name = secret.getMetadata().getName();
    return Stream.of(
            spec.getClickhouse() == null ? null : spec.getClickhouse().getCredentialsSecret(),
            spec.getRedis() == null ? null : spec.getRedis().getCredentialsSecret())
        .filter(Objects::nonNull)
        .anyMatch(
            (SecretCredentialsRef r) -> ns.equals(r.getNamespace()) && name.equals(r.getName()));
  }
}
