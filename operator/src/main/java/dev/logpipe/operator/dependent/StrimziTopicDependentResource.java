package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.DeletionPolicy;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.status.Reason;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

/**
 * A KafkaTopic in the Strimzi cluster's namespace (see {@link StrimziDependentResource}). Deleting
 * it makes Strimzi delete the topic and its data, so it is deleted only with {@code deletionPolicy:
 * Delete}; Retain keeps it.
 */
abstract class StrimziTopicDependentResource extends StrimziDependentResource<KafkaTopic> {

  StrimziTopicDependentResource() {
    super(KafkaTopic.class, Reason.TopicOwnedByOther);
  }

  @Override
  protected boolean kept(LogPipeline pipeline) {
    return pipeline.getSpec().getDeletionPolicy() != DeletionPolicy.Delete;
  }
}
