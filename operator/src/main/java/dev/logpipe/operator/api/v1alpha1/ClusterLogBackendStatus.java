package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Observed state of a ClusterLogBackend. Reachability of each server is a condition
 * (KafkaReachable, ClickHouseReachable, RedisReachable) so it carries a reason and a message.
 */
// A newer operator's status fields must not stop an older one from reading the resource.
@JsonIgnoreProperties(ignoreUnknown = true)
public class ClusterLogBackendStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready, Accepted, KafkaReachable, ClickHouseReachable and RedisReachable, each with a"
          + " reason and a message.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Version the ClickHouse server reported at the last check.")
  private String clickhouseVersion;

  @JsonPropertyDescription("When the servers were last checked (RFC 3339).")
  private String lastCheckTime;

  @JsonPropertyDescription(
      "Paths of spec fields this operator does not know and ignored (a typo, or a field of a newer"
          + " CRD). Empty when every field was understood.")
  private List<String> ignoredFields;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  public String getClickhouseVersion() {
    return clickhouseVersion;
  }

  public void setClickhouseVersion(String clickhouseVersion) {
    this.clickhouseVersion = clickhouseVersion;
  }

  public String getLastCheckTime() {
    return lastCheckTime;
  }

  public void setLastCheckTime(String lastCheckTime) {
    this.lastCheckTime = lastCheckTime;
  }

  public List<String> getIgnoredFields() {
    return ignoredFields;
  }

  public void setIgnoredFields(List<String> ignoredFields) {
    this.ignoredFields = ignoredFields == null || ignoredFields.isEmpty() ? null : ignoredFields;
  }

  // equals lets a reconciler patch status only when it changed.
  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterLogBackendStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(clickhouseVersion, s.clickhouseVersion)
        && Objects.equals(lastCheckTime, s.lastCheckTime)
        && Objects.equals(ignoredFields, s.ignoredFields);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration, conditions, clickhouseVersion, lastCheckTime, ignoredFields);
  }
}
