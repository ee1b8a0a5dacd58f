package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** The HTTP gateway (ingest and queries). */
public class GatewaySpec {
  @Default("false")
  @JsonPropertyDescription("Run a gateway Deployment and Service for this pipeline.")
  private boolean enabled;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }
}
