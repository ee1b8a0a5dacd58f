package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Observed state of a LogPipeline. */
public class LogPipelineStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready, Accepted, TopicReady, StorageReady, CacheReady, WorkersAvailable,"
          + " GatewayAvailable and, with workers.autoscaling, Autoscaling, each with a reason and"
          + " a message saying what to do.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The Kafka topics of this pipeline.")
  private TopicStatus topic;

  @JsonPropertyDescription("Where the logs are stored in ClickHouse.")
  private StorageStatus storage;

  @JsonPropertyDescription("Worker pods wanted and ready.")
  private WorkersStatus workers;

  @JsonPropertyDescription("The gateway, when enabled.")
  private GatewayStatus gateway;

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

  // equals lets a reconciler patch status only when it changed.
  @Override
  public boolean equals(Object o) {
    return o instanceof LogPipelineStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(topic, s.topic)
        && Objects.equals(storage, s.storage)
        && Objects.equals(workers, s.workers)
        && Objects.equals(gateway, s.gateway);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions, topic, storage, workers, gateway);
  }
}
