package dev.logpipe.operator;

import dev.logpipe.operator.api.v1alpha1.SpecProblems;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.Cloner;

/**
 * JOSDK's cloner (a JSON round trip), plus what the tolerant reader found while reading the spec:
 * ignored and unreadable fields are not part of the JSON, so a plain clone would hand the
 * reconciler a spec that looks clean and the status would never name them.
 */
final class SpecProblemsCloner implements Cloner {
  private final KubernetesSerialization serialization;

  SpecProblemsCloner(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  @Override
  public <R extends HasMetadata> R clone(R object) {
    R copy = serialization.clone(object);
    if (object instanceof CustomResource<?, ?> original
        && original.getSpec() instanceof SpecProblems.Holder from
        && copy instanceof CustomResource<?, ?> cloned
        && cloned.getSpec() instanceof SpecProblems.Holder to) {
      to.setSpecProblems(from.getSpecProblems());
    }
    return copy;
  }
}
