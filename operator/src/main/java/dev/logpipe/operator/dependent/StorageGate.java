package dev.logpipe.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.Deployment;

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

  private static boolean running(Deployment d) {
    return d != null
        && d.getSpec() != null
        && d.getSpec().getReplicas() != null
        && d.getSpec().getReplicas() > 0;
  }
}
