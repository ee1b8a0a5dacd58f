package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** Desired state of a ClusterLogBackend. */
@JsonDeserialize(converter = ClusterLogBackendSpec.Reader.class)
public class ClusterLogBackendSpec implements SpecProblems.Holder {
  /** Reads this spec without ever failing on user data (see {@link TolerantReader}). */
  static final class Reader extends TolerantReader<ClusterLogBackendSpec> {
    Reader() {
      super(ClusterLogBackendSpec.class, ClusterLogBackendSpec::new);
    }
  }

  @JsonIgnore private SpecProblems specProblems = SpecProblems.NONE;

  @Required
  @JsonPropertyDescription("The Kafka cluster (managed by Strimzi) that carries the log topics.")
  private BackendKafka kafka;

  @Required
  @JsonPropertyDescription("The ClickHouse server that stores the logs.")
  private BackendClickHouse clickhouse;

  @JsonPropertyDescription(
      "Optional Redis server for live views (recent logs, counters, anomalies). Without it,"
          + " pipelines run without a cache.")
  private BackendRedis redis;

  @JsonPropertyDescription(
      "Upper bounds for what a LogPipeline may request. A pipeline above any limit is not built"
          + " and its status names the limit.")
  private BackendLimits limits = new BackendLimits();

  @JsonPropertyDescription(
      "Namespaces (selected by their labels) whose LogPipelines may use this backend. Omit to"
          + " allow every namespace.")
  private LabelSelector allowedNamespaces;

  public BackendKafka getKafka() {
    return kafka;
  }

  public void setKafka(BackendKafka kafka) {
    this.kafka = kafka;
  }

  public BackendClickHouse getClickhouse() {
    return clickhouse;
  }

  public void setClickhouse(BackendClickHouse clickhouse) {
    this.clickhouse = clickhouse;
  }

  public BackendRedis getRedis() {
    return redis;
  }

  public void setRedis(BackendRedis redis) {
    this.redis = redis;
  }

  public BackendLimits getLimits() {
    return limits;
  }

  public void setLimits(BackendLimits limits) {
    this.limits = limits == null ? new BackendLimits() : limits;
  }

  public LabelSelector getAllowedNamespaces() {
    return allowedNamespaces;
  }

  public void setAllowedNamespaces(LabelSelector allowedNamespaces) {
    this.allowedNamespaces = allowedNamespaces;
  }

  @JsonIgnore
  @Override
  public SpecProblems getSpecProblems() {
    return specProblems;
  }

  @JsonIgnore
  @Override
  public void setSpecProblems(SpecProblems specProblems) {
    this.specProblems = specProblems == null ? SpecProblems.NONE : specProblems;
  }
}
