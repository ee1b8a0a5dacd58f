package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The Kafka side of a backend. */
public class BackendKafka {
  static final String BOOTSTRAP_PATTERN = "^[^\\s,]+:[0-9]{1,5}(,[^\\s,]+:[0-9]{1,5})*$";

  @Required
  @Pattern(BOOTSTRAP_PATTERN)
  @JsonPropertyDescription(
      "Bootstrap servers the operator connects to (reachability, consumer lag), and the workers"
          + " too unless authentication is set, host:port pairs separated by commas, e.g."
          + " logs-kafka-bootstrap.kafka:9092.")
  private String bootstrapServers;

  @Required
  @JsonPropertyDescription(
      "The Strimzi Kafka cluster whose topic operator creates the pipelines' topics. KafkaTopic"
          + " resources are created in its namespace with the label strimzi.io/cluster=<name>.")
  private StrimziClusterRef strimziCluster;

  @JsonPropertyDescription(
      "How the pipelines' workers and gateways authenticate to Kafka. Absent: they connect to"
          + " bootstrapServers in plaintext without authentication (development only; every"
          + " pipeline's CredentialsReady condition says so).")
  private BackendKafkaAuthentication authentication;

  public String getBootstrapServers() {
    return bootstrapServers;
  }

  public void setBootstrapServers(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  public StrimziClusterRef getStrimziCluster() {
    return strimziCluster;
  }

  public void setStrimziCluster(StrimziClusterRef strimziCluster) {
    this.strimziCluster = strimziCluster;
  }

  public BackendKafkaAuthentication getAuthentication() {
    return authentication;
  }

  public void setAuthentication(BackendKafkaAuthentication authentication) {
    this.authentication = authentication;
  }
}
