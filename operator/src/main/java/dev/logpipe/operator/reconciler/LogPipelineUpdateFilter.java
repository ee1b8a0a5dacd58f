package dev.logpipe.operator.reconciler;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.model.CredentialRotation;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Which updates of a LogPipeline start a reconciliation. JOSDK's generation-aware filter would drop
 * a change of metadata alone, and a rotation request ({@link CredentialRotation#REQUEST}) is one;
 * so the controller runs with generation-aware processing off and this filter keeps what that
 * filter let through (a spec change, deletion, the finalizer) plus a changed request. The
 * operator's own status patches stay filtered out.
 */
public final class LogPipelineUpdateFilter implements OnUpdateFilter<LogPipeline> {
  @Override
  public boolean accept(LogPipeline updated, LogPipeline old) {
    Long generation = updated.getMetadata().getGeneration();
    Long before = old.getMetadata().getGeneration();
    return generation == null
        || before == null
        || generation > before
        || updated.isMarkedForDeletion()
        || !Objects.equals(updated.getMetadata().getFinalizers(), old.getMetadata().getFinalizers())
        || !Objects.equals(
            CredentialRotation.requested(updated), CredentialRotation.requested(old));
  }
}
