package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.status.Reason;
import io.strimzi.api.kafka.model.user.KafkaUser;

/**
 * A KafkaUser of the pipeline in the Strimzi cluster's namespace (see {@link
 * StrimziDependentResource}). It holds no data, only access to the pipeline's topics, so it goes
 * with the pipeline whatever the deletion policy: a retained topic keeps its data, not a login.
 */
abstract class StrimziUserDependentResource extends StrimziDependentResource<KafkaUser> {

  StrimziUserDependentResource() {
    super(KafkaUser.class, Reason.KafkaUserOwnedByOther);
  }

  @Override
  protected boolean kept(LogPipeline pipeline) {
    return false;
  }
}
