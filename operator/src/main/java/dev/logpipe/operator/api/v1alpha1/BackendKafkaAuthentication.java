package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * Per-pipeline Kafka users. When set, the operator creates a Strimzi KafkaUser for each pipeline's
 * workers (and one for its gateway), and the pods connect to {@code bootstrapServers} with them.
 */
public class BackendKafkaAuthentication {
  @Required
  @JsonPropertyDescription(
      "How the pipeline pods authenticate: scram-sha-512, a Strimzi KafkaUser (SCRAM-SHA-512,"
          + " simple authorization) per pipeline for the workers and one for the gateway.")
  private KafkaAuthenticationType type;

  @Required
  @Pattern(BackendKafka.BOOTSTRAP_PATTERN)
  @JsonPropertyDescription(
      "Bootstrap servers of the Kafka listener with this authentication that the workers and the"
          + " gateway connect to, host:port pairs separated by commas, e.g."
          + " logs-kafka-bootstrap.kafka:9095. The operator itself keeps using"
          + " spec.kafka.bootstrapServers.")
  private String bootstrapServers;

  @Default("SASL_PLAINTEXT")
  @JsonPropertyDescription(
      "security.protocol of the pods' Kafka clients on that listener: SASL_PLAINTEXT (default) or"
          + " SASL_SSL (verified against the JVM's default trust store).")
  private KafkaSecurityProtocol securityProtocol = KafkaSecurityProtocol.SASL_PLAINTEXT;

  public KafkaAuthenticationType getType() {
    return type;
  }

  public void setType(KafkaAuthenticationType type) {
    this.type = type;
  }

  public String getBootstrapServers() {
    return bootstrapServers;
  }

  public void setBootstrapServers(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  public KafkaSecurityProtocol getSecurityProtocol() {
    return securityProtocol;
  }

  public void setSecurityProtocol(KafkaSecurityProtocol securityProtocol) {
    this.securityProtocol = securityProtocol;
  }
}
