package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Reconcile precondition of the workers' KafkaUser: the backend has spec.kafka.authentication. When
 * it turns false the KafkaUser is deleted. (The workflow runs only for an accepted pipeline, whose
 * backend exists.)
 */
public class KafkaAuthenticationCondition implements Condition<Object, LogPipeline> {
  @Override
  public boolean isMet(
      DependentResource<Object, LogPipeline> dependent,
      LogPipeline pipeline,
      Context<LogPipeline> context) {
    return PipelineInputs.of(pipeline, context).kafkaAuthentication();
  }
}
