package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

/**
 * Reconcile precondition of the dead-letter topic. Not an activation condition: in JOSDK 5.2 a
 * false activation condition de-registers the dependent's informer for every pipeline, so one
 * pipeline without dead letters would blind the operator to all others' dead-letter topics.
 */
public class DeadLetterEnabledCondition implements Condition<KafkaTopic, LogPipeline> {
  @Override
  public boolean isMet(
      DependentResource<KafkaTopic, LogPipeline> dependent,
      LogPipeline pipeline,
      Context<LogPipeline> context) {
    return pipeline.getSpec().getDeadLetter().isEnabled();
  }
}
