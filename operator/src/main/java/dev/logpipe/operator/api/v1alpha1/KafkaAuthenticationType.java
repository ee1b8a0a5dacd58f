package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** How pipeline pods authenticate to Kafka; the JSON value is what the CRD accepts. */
public enum KafkaAuthenticationType {
  /** A Strimzi KafkaUser per pipeline pod kind, with a SCRAM-SHA-512 credential. */
  SCRAM_SHA_512("scram-sha-512");

  private final String value;

  KafkaAuthenticationType(String value) {
    this.value = value;
  }

  @JsonValue
  public String value() {
    return value;
  }

  /** The Kafka client's {@code sasl.mechanism} for this type. */
  public String saslMechanism() {
    return "SCRAM-SHA-512";
  }
}
