package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackendSpec;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.external.BackendException;
import dev.logpipe.operator.model.PipelineConfigFactory;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.operator.status.Reason;
import dev.logpipe.worker.config.PipelineConfig;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * What every dependent derives its desired state from: the pipeline, its backend (from the backend
 * informer's cache) and the names both imply. Recomputed from the caches on each use rather than
 * passed along in the reconciliation context.
 */
public record PipelineInputs(LogPipeline pipeline, ClusterLogBackend backend, PipelineNames names) {

  /**
   * @throws BackendException with reason BackendNotFound when the named backend does not exist
   */
  public static PipelineInputs of(LogPipeline pipeline, Context<LogPipeline> context) {
    ClusterLogBackend backend =
        context
            .getSecondaryResource(ClusterLogBackend.class)
            .orElseThrow(() -> backendNotFound(pipeline));
    return new PipelineInputs(pipeline, backend, PipelineNames.of(pipeline, backend));
  }

  public static BackendException backendNotFound(LogPipeline pipeline) {
    return new BackendException(
        Reason.BackendNotFound,
        "ClusterLogBackend "
            + pipeline.getSpec().getBackend()
            + " does not exist; create it or set spec.backend to an existing backend");
  }

  public ClusterLogBackendSpec backendSpec() {
    return backend.getSpec();
  }

  /** The worker's configuration; the reconciler has validated it before the workflow runs. */
  public PipelineConfig config() {
    return PipelineConfigFactory.build(names, pipeline.getSpec(), backend.getSpec());
  }

  /** The cache is used only when asked for and when the backend has a Redis. */
  public boolean cacheActive() {
    return pipeline.getSpec().getCache().isEnabled() && backend.getSpec().getRedis() != null;
  }

  /** The pods log in to Kafka with the pipeline's KafkaUsers (the backend has authentication). */
  public boolean kafkaAuthentication() {
    return backend.getSpec().getKafka().getAuthentication() != null;
  }
}
