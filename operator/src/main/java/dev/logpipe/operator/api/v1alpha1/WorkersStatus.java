package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Worker replicas wanted and ready. */
// A newer operator's status fields must not stop an older one from reading the resource.
@JsonIgnoreProperties(ignoreUnknown = true)
public class WorkersStatus {
  @JsonPropertyDescription("Worker pods requested.")
  private Integer desired;

  @JsonPropertyDescription("Worker pods ready.")
  private Integer ready;

  public WorkersStatus() {}

  public WorkersStatus(Integer desired, Integer ready) {
    this.desired = desired;
    this.ready = ready;
  }

  public Integer getDesired() {
    return desired;
  }

  public void setDesired(Integer desired) {
    this.desired = desired;
  }

  public Integer getReady() {
    return ready;
  }

  public void setReady(Integer ready) {
    this.ready = ready;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WorkersStatus s
        && Objects.equals(desired, s.desired)
        && Objects.equals(ready, s.ready);
  }

  @Override
  public int hashCode() {
    return Objects.hash(desired, ready);
  }
}
