package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Worker replicas wanted and ready, and with autoscaling the lag they are scaled on. */
// A newer operator's status fields must not stop an older one from reading the resource.
@JsonIgnoreProperties(ignoreUnknown = true)
public class WorkersStatus {
  @JsonPropertyDescription(
      "Worker pods the operator wants: spec.workers.replicas, or the autoscaler's decision.")
  private Integer desired;

  @JsonPropertyDescription("Worker pods ready.")
  private Integer ready;

  @JsonPropertyDescription(
      "Replicas the worker Deployment currently asks for (differs from desired while a change"
          + " is being applied, or when an HPA or KEDA ScaledObject sizes the Deployment).")
  private Integer current;

  @JsonPropertyDescription(
      "Autoscaling only: records waiting in the topic (end offsets minus the consumer group's"
          + " committed offsets, summed over partitions) at the last measurement.")
  private Long lagRecords;

  @JsonPropertyDescription(
      "Autoscaling only: estimated age, in seconds, of the oldest record not yet stored, at the"
          + " last measurement.")
  private Long lagSeconds;

  @JsonPropertyDescription("Autoscaling only: when the autoscaler last changed desired.")
  private String lastScaleTime;

  @JsonPropertyDescription("Autoscaling only: why the autoscaler last changed desired.")
  private String lastScaleReason;

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

  public Integer getCurrent() {
    return current;
  }

  public void setCurrent(Integer current) {
    this.current = current;
  }

  public Long getLagRecords() {
    return lagRecords;
  }

  public void setLagRecords(Long lagRecords) {
    this.lagRecords = lagRecords;
  }

  public Long getLagSeconds() {
    return lagSeconds;
  }

  public void setLagSeconds(Long lagSeconds) {
    this.lagSeconds = lagSeconds;
  }

  public String getLastScaleTime() {
    return lastScaleTime;
  }

  public void setLastScaleTime(String lastScaleTime) {
    this.lastScaleTime = lastScaleTime;
  }

  public String getLastScaleReason() {
    return lastScaleReason;
  }

  public void setLastScaleReason(String lastScaleReason) {
    this.lastScaleReason = lastScaleReason;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WorkersStatus s
        && Objects.equals(desired, s.desired)
        && Objects.equals(ready, s.ready)
        && Objects.equals(current, s.current)
        && Objects.equals(lagRecords, s.lagRecords)
        && Objects.equals(lagSeconds, s.lagSeconds)
        && Objects.equals(lastScaleTime, s.lastScaleTime)
        && Objects.equals(lastScaleReason, s.lastScaleReason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        desired, ready, current, lagRecords, lagSeconds, lastScaleTime, lastScaleReason);
  }
}
