package dev.logpipe.operator.autoscale;

import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * Why more workers would not help a pipeline now, as a phrase for the Autoscaling condition, or
 * null when scaling up may go ahead. Two signals, the first that applies wins:
 *
 * <ul>
 *   <li>StorageReady is not True: the operator found ClickHouse unreachable (checked at most every
 *       half resync, so it can lag an outage by a minute or more);
 *   <li>pods of the worker Deployment run but none is ready: a worker answers {@code /readyz} with
 *       503 within seconds of losing ClickHouse or Kafka, and the Deployment's readyReplicas
 *       reaches the operator as an event. Starting or crash-looping workers hold too: more of them
 *       would not store anything sooner either.
 * </ul>
 *
 * A Deployment without status (no controller has counted its pods) holds nothing.
 */
public final class ScaleUpHold {
  public static final String STORAGE_UNAVAILABLE = "storage is unavailable";

  private ScaleUpHold() {}

  /**
   * @param storageReady whether the pipeline's StorageReady condition is True
   * @param workers the worker Deployment, or null before it exists
   */
  public static String of(boolean storageReady, Deployment workers) {
    if (!storageReady) {
      return STORAGE_UNAVAILABLE;
    }
    if (workers == null || workers.getStatus() == null) {
      return null;
    }
    Integer running = workers.getStatus().getReplicas();
    Integer ready = workers.getStatus().getReadyReplicas();
    if (running != null && running > 0 && (ready == null || ready == 0)) {
      return "no worker is ready (0 of "
          + running
          + "; a worker reports not ready while it cannot reach ClickHouse or Kafka, or while it"
          + " starts)";
    }
    return null;
  }
}
