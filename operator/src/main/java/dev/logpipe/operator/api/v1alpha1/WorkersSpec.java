package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** The worker Deployment. */
@ValidationRule(
    value = "!(has(self.replicas) && has(self.autoscaling))",
    message = "set either workers.replicas or workers.autoscaling, not both")
public class WorkersSpec {
  // No schema default: a defaulted replicas would make every autoscaling spec break the rule
  // above. Absent means 1 (see getReplicas).
  @Min(0)
  @Max(100)
  @JsonProperty("replicas")
  @JsonPropertyDescription(
      "Fixed number of worker pods (default 1); 0 pauses consumption. More workers than topic"
          + " partitions leaves the extra ones idle. Leave it out when autoscaling is set.")
  private Integer replicas;

  @JsonPropertyDescription(
      "Let the operator scale the workers on consumer lag instead of a fixed replicas count.")
  private AutoscalingSpec autoscaling;

  @JsonPropertyDescription("CPU and memory requests and limits of each worker container.")
  private ResourceRequirements resources;

  /**
   * The replicas a fixed-size Deployment gets: spec.replicas, 1 when absent, and minReplicas when
   * autoscaling (the size it starts from). Not a JSON property: the field is.
   */
  @JsonIgnore
  public int getReplicas() {
    if (autoscaling != null) {
      return autoscaling.getMinReplicas();
    }
    return replicas == null ? 1 : replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  /** Whether spec.replicas was given (named so Jackson does not see a property). */
  public boolean hasFixedReplicas() {
    return replicas != null;
  }

  public AutoscalingSpec getAutoscaling() {
    return autoscaling;
  }

  public void setAutoscaling(AutoscalingSpec autoscaling) {
    this.autoscaling = autoscaling;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }
}
