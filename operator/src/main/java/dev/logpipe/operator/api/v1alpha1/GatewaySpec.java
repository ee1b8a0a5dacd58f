package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * The HTTP gateway (ingest and queries). When enabled, the operator runs a gateway Deployment and a
 * ClusterIP Service, and creates a bearer token in a Secret named in status.gateway.tokenSecret.
 */
public class GatewaySpec {
  @Default("false")
  @JsonPropertyDescription(
      "Run a gateway Deployment and Service for this pipeline. Switching it off removes both and"
          + " the token Secret; switching it on again issues a new token.")
  private boolean enabled;

  @Default("1")
  @Min(1)
  @Max(20)
  @JsonPropertyDescription(
      "Number of gateway pods. Each one serves ingest and queries; more pods spread the load.")
  private int replicas = 1;

  @JsonPropertyDescription("CPU and memory requests and limits of each gateway container.")
  private ResourceRequirements resources;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

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
