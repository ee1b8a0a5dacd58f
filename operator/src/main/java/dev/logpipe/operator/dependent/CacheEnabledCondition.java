package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Reconcile precondition of the Redis namespace: the pipeline wants a cache and its backend has a
 * Redis. When it turns false the keys are removed. (Not an activation condition, for the reason
 * given on {@link DeadLetterEnabledCondition}.)
 */
public class CacheEnabledCondition implements Condition<String, LogPipeline> {
  @Override
  public boolean isMet(
      DependentResource<String, LogPipeline> dependent,
      LogPipeline pipeline,
      Context<LogPipeline> context) {
    return pipeline.getSpec().getCache().isEnabled()
        && context
            .getSecondaryResource(ClusterLogBackend.class)
            .map(b -> b.getSpec().getRedis() != null)
            .orElse(false);
  }
}
