package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Reconcile precondition of the gateway's KafkaUser: Kafka authentication and the gateway on. */
public class GatewayKafkaUserCondition implements Condition<Object, LogPipeline> {
  @Override
  public boolean isMet(
      DependentResource<Object, LogPipeline> dependent,
      LogPipeline pipeline,
      Context<LogPipeline> context) {
    return pipeline.getSpec().getGateway().isEnabled()
        && PipelineInputs.of(pipeline, context).kafkaAuthentication();
  }
}
