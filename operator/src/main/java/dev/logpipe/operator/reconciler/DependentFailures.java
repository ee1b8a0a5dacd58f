package dev.logpipe.operator.reconciler;

import dev.logpipe.operator.external.BackendException;
import dev.logpipe.operator.model.InvalidPipelineException;
import dev.logpipe.operator.status.ConditionResult;
import dev.logpipe.operator.status.Reason;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a dependent's failure into its condition by exception type: the reason was fixed where the
 * failure was classified ({@link BackendException}), never guessed from message text here.
 */
final class DependentFailures {
  private static final Logger LOG = LoggerFactory.getLogger(DependentFailures.class);

  private DependentFailures() {}

  /**
   * @param what the thing that failed, for messages, e.g. "KafkaTopic kafka/logpipe.a.b"
   */
  static ConditionResult describe(Exception failure, String what) {
    BackendException backend = find(failure, BackendException.class);
    if (backend != null) {
      return ConditionResult.isFalse(backend.reason(), backend.getMessage());
    }
    InvalidPipelineException invalid = find(failure, InvalidPipelineException.class);
    if (invalid != null) {
      return ConditionResult.isFalse(Reason.InvalidSpec, invalid.getMessage());
    }
    KubernetesClientException api = find(failure, KubernetesClientException.class);
    if (api != null) {
      String detail =
          api.getStatus() != null && api.getStatus().getMessage() != null
              ? api.getStatus().getMessage()
              : "no response";
      return ConditionResult.isFalse(
          Reason.KubernetesApiError,
          "The Kubernetes API refused "
              + what
              + " (HTTP "
              + api.getCode()
              + "): "
              + detail
              + "; the operator retries.");
    }
    LOG.error("event=dependent_failed what=\"{}\"", what, failure);
    return ConditionResult.isFalse(
        Reason.OperatorError,
        "The operator failed to reconcile " + what + " and retries; see the operator's log.");
  }

  /** The reason of the backend failure in {@code failure}'s chain, or null when there is none. */
  static Reason backendReason(Exception failure) {
    BackendException backend = failure == null ? null : find(failure, BackendException.class);
    return backend == null ? null : backend.reason();
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
