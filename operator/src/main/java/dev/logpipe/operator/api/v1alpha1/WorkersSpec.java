package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** The worker Deployment. */
public class WorkersSpec {
  @Default("1")
  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "Number of worker pods; 0 pauses consumption. More workers than topic partitions leaves"
          + " the extra ones idle.")
  private int replicas = 1;

  @JsonPropertyDescription("CPU and memory requests and limits of each worker container.")
  private ResourceRequirements resources;

  public int getReplicas() {
    return replicas;
  }

  public void setReplicas(int replicas) {
    this.replicas = replicas;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }
}
