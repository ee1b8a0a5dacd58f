package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.external.TableState;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Ready postcondition of the ClickHouse table: the provisioner has an outcome for the current spec.
 * While it has none, the workflow lists the dependent as not ready and StorageReady says the table
 * is being provisioned (a failed outcome is thrown by the dependent before this is asked).
 */
public class StorageProvisionedCondition implements Condition<TableState, LogPipeline> {
  @Override
  public boolean isMet(
      DependentResource<TableState, LogPipeline> dependent,
      LogPipeline pipeline,
      Context<LogPipeline> context) {
    return dependent.getSecondaryResource(pipeline, context).isPresent();
  }
}
