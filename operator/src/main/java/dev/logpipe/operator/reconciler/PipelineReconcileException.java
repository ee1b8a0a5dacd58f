package dev.logpipe.operator.reconciler;

import dev.logpipe.operator.api.v1alpha1.LogPipelineStatus;
import java.util.List;

/**
 * Raised after a reconciliation in which some dependents failed, carrying the status that explains
 * them: JOSDK then retries with backoff and {@code updateErrorStatus} patches this status.
 */
final class PipelineReconcileException extends RuntimeException {
  private final transient LogPipelineStatus status;

  PipelineReconcileException(LogPipelineStatus status, List<String> failedDependents) {
    super("dependents failed: " + String.join(", ", failedDependents));
    this.status = status;
  }

  LogPipelineStatus status() {
    return status;
  }
}
