package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.DeletionPolicy;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.external.BackendException;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.operator.status.Reason;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.Map;
import java.util.Optional;

/**
 * A KafkaTopic in the Strimzi cluster's namespace. An owner reference cannot cross namespaces, so
 * JOSDK ties it to the pipeline with its primary annotations, and it is not garbage collected: the
 * pipeline's finalizer runs {@link #delete}, which honours {@code deletionPolicy}.
 */
abstract class StrimziTopicDependentResource
    extends CRUDNoGCKubernetesDependentResource<KafkaTopic, LogPipeline> {

  StrimziTopicDependentResource() {
    super(KafkaTopic.class);
  }

  /**
   * Refuses to take over a KafkaTopic of the desired name that the informer knows as another
   * pipeline's (its JOSDK primary annotations or logpipe labels name another namespace/name):
   * applying the desired state would overwrite those and adopt it. Called by desired().
   *
   * @return {@code desired}, when no other pipeline claims its name
   */
  protected KafkaTopic requireNotOwnedByOther(KafkaTopic desired, LogPipeline pipeline) {
    String ns = desired.getMetadata().getNamespace();
    String name = desired.getMetadata().getName();
    Optional<KafkaTopic> existing =
        eventSource().flatMap(source -> source.get(new ResourceID(name, ns)));
    if (existing.isEmpty()) {
      return desired;
    }
    Map<String, String> annotations = orEmpty(existing.get().getMetadata().getAnnotations());
    Map<String, String> labels = orEmpty(existing.get().getMetadata().getLabels());
    String owner =
        annotations.getOrDefault(
                Mappers.DEFAULT_ANNOTATION_FOR_NAMESPACE,
                labels.getOrDefault(PipelineNames.PIPELINE_NAMESPACE, ""))
            + "/"
            + annotations.getOrDefault(
                Mappers.DEFAULT_ANNOTATION_FOR_NAME,
                labels.getOrDefault(PipelineNames.PIPELINE_NAME, ""));
    String me = pipeline.getMetadata().getNamespace() + "/" + pipeline.getMetadata().getName();
    if (owner.equals(me) || owner.equals("/")) {
      return desired;
    }
    throw new BackendException(
        Reason.TopicOwnedByOther,
        "KafkaTopic "
            + ns
            + "/"
            + name
            + " belongs to LogPipeline "
            + owner
            + "; it is neither adopted nor deleted by this pipeline.");
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }

  /**
   * Deletes the topics this informer maps to the pipeline, found through the annotations alone so
   * it works even when the backend (which names the Strimzi namespace) is gone. Retain keeps them,
   * and deleting a KafkaTopic would make Strimzi delete the topic and its data.
   */
  @Override
  public void delete(LogPipeline pipeline, Context<LogPipeline> context) {
    if (pipeline.getSpec().getDeletionPolicy() != DeletionPolicy.Delete) {
      return;
    }
    eventSource()
        .orElseThrow()
        .getSecondaryResources(pipeline)
        .forEach(topic -> context.getClient().resource(topic).delete());
  }
}
