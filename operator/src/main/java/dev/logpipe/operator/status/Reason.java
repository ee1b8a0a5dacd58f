package dev.logpipe.operator.status;

/** Machine-readable condition reasons (CamelCase, as Kubernetes expects). Never exception names. */
public enum Reason {
  // Positive outcomes
  Ready,
  Accepted,
  TopicReady,
  StorageReady,
  CacheReady,
  WorkersAvailable,
  GatewayAvailable,
  Reachable,
  /** The feature is switched off in the spec; the condition is True so it never blocks Ready. */
  Disabled,

  // Acceptance
  InvalidSpec,
  BackendNotFound,
  BackendNotReady,
  NamespaceNotAllowed,
  LimitExceeded,
  CredentialsSecretMissing,
  CredentialsSecretInvalid,

  // Kafka
  KafkaTopicMissing,
  TopicNotReady,
  KafkaUnreachable,

  // ClickHouse
  ClickHouseUnreachable,
  ClickHouseAuthFailed,
  ClickHouseTooOld,
  /** The table is being created or migrated (off the reconcile threads); not a failure. */
  StorageProvisioning,
  StorageMigrationFailed,

  // Redis
  RedisUnreachable,
  RedisAuthFailed,
  RedisNotConfigured,

  // Workloads
  WorkersProgressing,
  WorkersUnavailable,
  /** A worker container keeps exiting (CrashLoopBackOff, or failed again after restarts). */
  WorkersCrashLooping,
  /** A worker pod cannot pull its image (ImagePullBackOff, ErrImagePull, InvalidImageName). */
  WorkersImagePullFailed,
  /** A worker container cannot be created (CreateContainerConfigError: a Secret or key missing). */
  WorkersConfigError,
  GatewayProgressing,
  GatewayUnavailable,
  GatewayCrashLooping,
  GatewayImagePullFailed,
  GatewayConfigError,

  // Autoscaling (spec.workers.autoscaling)
  /** The autoscaler measures lag and sizes the worker Deployment. */
  AutoscalingActive,
  /** More workers would not store faster: the sink (ClickHouse) is unavailable. */
  ScaleUpHeld,
  /** An HPA or a KEDA ScaledObject targets the worker Deployment; replicas are left to it. */
  ExternalAutoscaler,
  /** The lag could not be measured (Kafka unreachable, topic missing); replicas are kept. */
  LagUnknown,

  // Anything else
  /** The Kubernetes API refused to create or update a child resource. */
  KubernetesApiError,
  /** An unexpected failure inside the operator; the message points to its log. */
  OperatorError,

  /** Not checked yet, or a required condition was not reported in this reconciliation. */
  Pending,
  Deleting
}
