package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.DeletionPolicy;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

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
