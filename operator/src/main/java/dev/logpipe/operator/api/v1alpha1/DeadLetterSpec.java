package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** The dead-letter topic. */
public class DeadLetterSpec {
  @Default("true")
  @JsonPropertyDescription(
      "Send records that cannot be parsed to <topic>.dlq (kept at least 7 days). When false they"
          + " are counted and dropped.")
  private boolean enabled = true;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }
}
