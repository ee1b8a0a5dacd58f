package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** Desired state of a LogPipeline. Every block is optional; omitted values take the defaults. */
@JsonDeserialize(converter = LogPipelineSpec.Reader.class)
public class LogPipelineSpec implements SpecProblems.Holder {
  /** Reads this spec without ever failing on user data (see {@link TolerantReader}). */
  static final class Reader extends TolerantReader<LogPipelineSpec> {
    Reader() {
      super(LogPipelineSpec.class, LogPipelineSpec::new);
    }
  }

  @JsonIgnore private SpecProblems specProblems = SpecProblems.NONE;

  @Default(ClusterLogBackend.DEFAULT_NAME)
  @Pattern(KubernetesPatterns.DNS_LABEL)
  @JsonPropertyDescription("Name of the ClusterLogBackend that stores this pipeline's data.")
  private String backend = ClusterLogBackend.DEFAULT_NAME;

  @JsonPropertyDescription("The Kafka topic logs are sent to.")
  private TopicSpec topic = new TopicSpec();

  @JsonPropertyDescription("How each log record is parsed.")
  private FormatSpec format = new FormatSpec();

  @JsonPropertyDescription("The worker Deployment that consumes, parses, scores and stores logs.")
  private WorkersSpec workers = new WorkersSpec();

  @JsonPropertyDescription(
      "When a batch of rows is written to ClickHouse; the first limit reached wins. Omitted"
          + " values use the worker's defaults (50000 rows, 64 MiB, 1s).")
  private BatchSpec batch;

  @JsonPropertyDescription("Anomaly scoring: built-in rules, your own rules and error bursts.")
  private AnomaliesSpec anomalies = new AnomaliesSpec();

  @JsonPropertyDescription("The ClickHouse table.")
  private StorageSpec storage = new StorageSpec();

  @JsonPropertyDescription("The Redis live-view cache (needs a backend with Redis).")
  private CacheSpec cache = new CacheSpec();

  @JsonPropertyDescription("The HTTP gateway for ingest and queries.")
  private GatewaySpec gateway = new GatewaySpec();

  @JsonPropertyDescription(
      "Records that cannot be parsed go to a dead-letter topic <topic>.dlq with the reason.")
  private DeadLetterSpec deadLetter = new DeadLetterSpec();

  @Default("Retain")
  @JsonPropertyDescription(
      "What happens to the topic and table when this resource is deleted: Retain keeps them,"
          + " Delete removes them and their data.")
  private DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

  public String getBackend() {
    return backend;
  }

  public void setBackend(String backend) {
    this.backend = backend == null ? ClusterLogBackend.DEFAULT_NAME : backend;
  }

  public TopicSpec getTopic() {
    return topic;
  }

  public void setTopic(TopicSpec topic) {
    this.topic = topic == null ? new TopicSpec() : topic;
  }

  public FormatSpec getFormat() {
    return format;
  }

  public void setFormat(FormatSpec format) {
    this.format = format == null ? new FormatSpec() : format;
  }

  public WorkersSpec getWorkers() {
    return workers;
  }

  public void setWorkers(WorkersSpec workers) {
    this.workers = workers == null ? new WorkersSpec() : workers;
  }

  public BatchSpec getBatch() {
    return batch;
  }

  public void setBatch(BatchSpec batch) {
    this.batch = batch;
  }

  public AnomaliesSpec getAnomalies() {
    return anomalies;
  }

  public void setAnomalies(AnomaliesSpec anomalies) {
    this.anomalies = anomalies == null ? new AnomaliesSpec() : anomalies;
  }

  public StorageSpec getStorage() {
    return storage;
  }

  public void setStorage(StorageSpec storage) {
    this.storage = storage == null ? new StorageSpec() : storage;
  }

  public CacheSpec getCache() {
    return cache;
  }

  public void setCache(CacheSpec cache) {
    this.cache = cache == null ? new CacheSpec() : cache;
  }

  public GatewaySpec getGateway() {
    return gateway;
  }

  public void setGateway(GatewaySpec gateway) {
    this.gateway = gateway == null ? new GatewaySpec() : gateway;
  }

  public DeadLetterSpec getDeadLetter() {
    return deadLetter;
  }

  public void setDeadLetter(DeadLetterSpec deadLetter) {
    this.deadLetter = deadLetter == null ? new DeadLetterSpec() : deadLetter;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy == null ? DeletionPolicy.Retain : deletionPolicy;
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
