package dev.logpipe.operator.dependent;

/**
 * Label selectors of the dependents' informers: each caches only what this operator made, so memory
 * grows with pipelines, not with the cluster's ConfigMaps, Secrets and Deployments.
 */
final class Selectors {
  static final String MANAGED = "app.kubernetes.io/managed-by=logpipe-operator";
  static final String CREDENTIALS = MANAGED + ",app.kubernetes.io/component=credentials";
  static final String CONFIG = MANAGED + ",app.kubernetes.io/component=config";
  static final String WORKER = MANAGED + ",app.kubernetes.io/component=worker";
  static final String GATEWAY = MANAGED + ",app.kubernetes.io/component=gateway";
  static final String GATEWAY_TOKEN = MANAGED + ",app.kubernetes.io/component=gateway-token";
  static final String TOPIC = MANAGED + ",app.kubernetes.io/component=topic";
  static final String DEAD_LETTER_TOPIC =
      MANAGED + ",app.kubernetes.io/component=dead-letter-topic";
  static final String KAFKA_USER_WORKER =
      MANAGED + ",app.kubernetes.io/component=kafka-user-worker";
  static final String KAFKA_USER_GATEWAY =
      MANAGED + ",app.kubernetes.io/component=kafka-user-gateway";

  private Selectors() {}
}
