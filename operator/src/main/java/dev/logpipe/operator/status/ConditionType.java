package dev.logpipe.operator.status;

/**
 * Condition types on LogPipeline and ClusterLogBackend status. Declaration order is the order in
 * which the aggregator looks for the condition that explains a Ready=False.
 */
public enum ConditionType {
  /** Derived by {@link StatusAggregator}: True only when every required condition is True. */
  Ready,
  /** The spec is valid, the backend exists and allows it, and it is within the backend's limits. */
  Accepted,
  TopicReady,
  StorageReady,
  /** Best effort: Redis down does not stop logs reaching ClickHouse, so not required for Ready. */
  CacheReady,
  WorkersAvailable,
  GatewayAvailable,
  /**
   * Informative, not required for Ready: True when the pipeline's pods use least-privilege users of
   * their own on every backend that can have them; False names each backend where they use shared
   * credentials instead, and why. Kafka is not covered yet (no per-pipeline Kafka user).
   */
  CredentialsReady,
  /**
   * Only with spec.workers.autoscaling; informative, not required for Ready: False when the
   * autoscaler holds back (storage down, an HPA or KEDA sizes the Deployment, lag unknown).
   */
  Autoscaling,
  // ClusterLogBackend
  KafkaReachable,
  ClickHouseReachable,
  RedisReachable
}
