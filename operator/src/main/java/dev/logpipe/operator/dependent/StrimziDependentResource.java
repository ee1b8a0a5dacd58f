package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.external.BackendException;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.operator.status.Reason;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.Map;
import java.util.Optional;

/**
 * A Strimzi resource (KafkaTopic, KafkaUser) in the Strimzi cluster's namespace. An owner reference
 * cannot cross namespaces, so JOSDK ties it to the pipeline with its primary annotations, and it is
 * not garbage collected: the pipeline's finalizer (or a switched-off part) runs {@link #delete}.
 */
abstract class StrimziDependentResource<R extends HasMetadata>
    extends CRUDNoGCKubernetesDependentResource<R, LogPipeline> {
  private final Reason ownedByOther;

  StrimziDependentResource(Class<R> type, Reason ownedByOther) {
    super(type);
    this.ownedByOther = ownedByOther;
  }

  /** True when {@link #delete} must leave this pipeline's resources in place. */
  protected abstract boolean kept(LogPipeline pipeline);

  /**
   * Refuses to take over a resource of the desired name that the informer knows as another
   * pipeline's (its JOSDK primary annotations or logpipe labels name another namespace/name):
   * applying the desired state would overwrite those and adopt it. Called by desired().
   *
   * @return {@code desired}, when no other pipeline claims its name
   */
  protected R requireNotOwnedByOther(R desired, LogPipeline pipeline) {
    String ns = desired.getMetadata().getNamespace();
    String name = desired.getMetadata().getName();
    Optional<R> existing = eventSource().flatMap(source -> source.get(new ResourceID(name, ns)));
    if (existing.isEmpty()) {
      return desired;
    }
    Map<String, String> annotations = orEmpty(existing.get().getMetadata().getAnnotations());
    Map<String, String> labels = orEmpty(existing.get().getMetadata().getLabels());
    String owner =
        annotations.getOrDefault(
                Mappers.DEFAULT_ANNOTATION_FOR_NAMESPACE,
                labels.getOrDefault(PipelineNames.PIPELINE_NAMESPACE, ""))
            + "/"
            + annotations.getOrDefault(
                Mappers.DEFAULT_ANNOTATION_FOR_NAME,
                labels.getOrDefault(PipelineNames.PIPELINE_NAME, ""));
    String me = pipeline.getMetadata().getNamespace() + "/" + pipeline.getMetadata().getName();
    if (owner.equals(me) || owner.equals("/")) {
      return desired;
    }
    throw new BackendException(
        ownedByOther,
        HasMetadata.getKind(resourceType())
            + " "
            + ns
            + "/"
            + name
            + " belongs to LogPipeline "
            + owner
            + "; it is neither adopted nor deleted by this pipeline.");
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }

  /**
   * Deletes the resources this informer maps to the pipeline, found through the annotations alone
   * so it works even when the backend (which names the Strimzi namespace) is gone.
   */
  @Override
  public void delete(LogPipeline pipeline, Context<LogPipeline> context) {
    if (kept(pipeline)) {
      return;
    }
    eventSource()
        .orElseThrow()
        .getSecondaryResources(pipeline)
        .forEach(r -> context.getClient().resource(r).delete());
  }
}
