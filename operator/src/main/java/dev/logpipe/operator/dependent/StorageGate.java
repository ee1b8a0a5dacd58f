package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * How many replicas a pipeline's worker or gateway may run, given what is known about its table: a
 * pod of a pipeline whose table belongs to someone else would write into (or serve) that table.
 */
final class StorageGate {
  private StorageGate() {}

  /**
   * @param wanted the spec's replicas
   * @param existing the Deployment as it is now, or null when there is none yet
   */
  static int replicas(int wanted, StorageProvisioner.Ownership ownership, Deployment existing) {
    return switch (ownership) {
      case MINE -> wanted;
      case OTHERS -> 0;
      // Not checked yet (first reconcile, or an operator restarted while ClickHouse is down): a
      // new Deployment waits at 0 for the check, one that already runs is left running.
      case UNKNOWN -> running(existing) ? wanted : 0;
    };
  }

  /**
   * The Deployment as the informers have it, by name: not through the dependent's own lookup, which
   * would compute the desired state (and so call back here) to find its target.
   */
  static Deployment existing(Context<LogPipeline> context, String namespace, String name) {
    return context.getSecondaryResources(Deployment.class).stream()
        .filter(
            d ->
                name.equals(d.getMetadata().getName())
                    && namespace.equals(d.getMetadata().getNamespace()))
        .findFirst()
        .orElse(null);
  }

  private static boolean running(Deployment d) {
    return d != null
        && d.getSpec() != null
        && d.getSpec().getReplicas() != null
        && d.getSpec().getReplicas() > 0;
  }
}
