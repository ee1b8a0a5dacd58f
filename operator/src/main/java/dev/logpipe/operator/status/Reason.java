package dev.logpipe.operator.status;

/** Machine-readable condition reasons (CamelCase, as Kubernetes expects). Never exception names. */
public enum Reason {
  // Positive outcomes
  Ready,
  Accepted,
  /** Accepted, but the spec has fields this operator does not know; the message lists them. */
  AcceptedWithWarnings,
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

  // Anything else
  /** The Kubernetes API refused to create or update a child resource. */
  KubernetesApiError,
  /** An unexpected failure inside the operator; the message points to its log. */
  OperatorError,

  /** Not checked yet, or a required condition was not reported in this reconciliation. */
  Pending,
  Deleting
}
