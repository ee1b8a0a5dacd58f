package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Reconcile precondition of the gateway's token Secret, Deployment and Service: when it turns false
 * they are deleted. (Not an activation condition, for the reason given on {@link
 * DeadLetterEnabledCondition}.)
 */
public class GatewayEnabledCondition implements Condition<Object, LogPipeline> {
  @Override
  public boolean isMet(
      DependentResource<Object, LogPipeline> dependent,
      LogPipeline pipeline,
      Context<LogPipeline> context) {
    return pipeline.getSpec().getGateway().isEnabled();
  }
}
