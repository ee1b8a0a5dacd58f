package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Observed state of a LogPipeline. */
// A newer operator's status fields must not stop an older one from reading the resource.
@JsonIgnoreProperties(ignoreUnknown = true)
public class LogPipelineStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready, Accepted, TopicReady, StorageReady, CacheReady, WorkersAvailable,"
          + " GatewayAvailable, CredentialsReady (informative: whether the pods use users of their"
          + " own on each backend, and if not why) and, with workers.autoscaling, Autoscaling, each"
          + " with a reason and a message saying what to do.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The Kafka topics of this pipeline.")
  private TopicStatus topic;

  @JsonPropertyDescription("Where the logs are stored in ClickHouse.")
  private StorageStatus storage;

  @JsonPropertyDescription("Worker pods wanted and ready.")
  private WorkersStatus workers;

  @JsonPropertyDescription("The gateway, when enabled.")
  private GatewayStatus gateway;

  @JsonPropertyDescription(
      "Paths of spec fields this operator does not know and ignored (a typo, or a field of a newer"
          + " CRD), e.g. spec.format.colour. Empty when every field was understood.")
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

  public TopicStatus getTopic() {
    return topic;
  }

  public void setTopic(TopicStatus topic) {
    this.topic = topic;
  }

  public StorageStatus getStorage() {
    return storage;
  }

  public void setStorage(StorageStatus storage) {
    this.storage = storage;
  }

  public WorkersStatus getWorkers() {
    return workers;
  }

  public void setWorkers(WorkersStatus workers) {
    this.workers = workers;
  }

  public GatewayStatus getGateway() {
    return gateway;
  }

  public void setGateway(GatewayStatus gateway) {
    this.gateway = gateway;
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
    return o instanceof LogPipelineStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(topic, s.topic)
        && Objects.equals(storage, s.storage)
        && Objects.equals(workers, s.workers)
        && Objects.equals(gateway, s.gateway)
        && Objects.equals(ignoredFields, s.ignoredFields);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration, conditions, topic, storage, workers, gateway, ignoredFields);
  }
}
