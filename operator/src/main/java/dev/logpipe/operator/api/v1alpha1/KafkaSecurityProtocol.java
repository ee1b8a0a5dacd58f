package dev.logpipe.operator.api.v1alpha1;

/** The Kafka client's {@code security.protocol} on an authenticated listener. */
public enum KafkaSecurityProtocol {
  SASL_PLAINTEXT,
  /** TLS with the JVM's default trust store: a custom CA cannot be given yet. */
  SASL_SSL
}
