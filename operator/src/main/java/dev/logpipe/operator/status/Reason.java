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
  /** A KafkaTopic of the pipeline's topic name belongs to another pipeline: never adopted. */
  TopicOwnedByOther,

  // ClickHouse
  ClickHouseUnreachable,
  ClickHouseAuthFailed,
  ClickHouseTooOld,
  /** The table is being created or migrated (off the reconcile threads); not a failure. */
  StorageProvisioning,
  StorageMigrationFailed,
  /** The derived table carries another pipeline's identity: never used, migrated or dropped. */
  StorageOwnedByOther,

  // Redis
  RedisUnreachable,
  RedisAuthFailed,
  RedisNotConfigured,
  /** The pipeline's Redis owner key names another pipeline: its keys are left alone. */
  CacheOwnedByOther,

  // Credentials (CredentialsReady)
  /** Every backend the pipeline uses that can have per-pipeline users gives it its own. */
  PipelineUsers,
  /** Redis refused the pipeline's ACL user (no ACL support, or the operator lacks +acl). */
  RedisUserNotCreated,
  /**
   * The ClickHouse server cannot hold SQL-created users (no writable access storage, e.g. chDB):
   * the pipeline uses the backend's ClickHouse credentials; the message quotes the server.
   */
  SharedClickHouseCredentials,
  /**
   * The backend has no spec.kafka.authentication: the pods connect to Kafka in plaintext without a
   * user, so nothing stops them (or anyone on that listener) from reading other pipelines' topics.
   */
  KafkaWithoutAuthentication,
  /** A KafkaUser of the pipeline has no Secret from Strimzi's User Operator yet: pods wait. */
  KafkaUserPending,
  /**
   * Strimzi's User Operator reports a KafkaUser of the pipeline not Ready; the message quotes it.
   */
  KafkaUserNotReady,
  /** A KafkaUser of the pipeline's name belongs to another pipeline; it is left alone. */
  KafkaUserOwnedByOther,
  /**
   * The Secret named like a KafkaUser of the pipeline is not the one Strimzi wrote for it (not
   * owned by that KafkaUser, or without a password): nothing is copied from it.
   */
  KafkaUserSecretInvalid,

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
  /** The operator scaled the Deployment to 0 (the pipeline is not accepted, or not its table). */
  Stopped,

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
  /** The pipeline is being deleted and waits for a cleanup step that is under way (queued). */
  Deleting,
  /** The pipeline's deletion cannot finish: a cleanup step failed; the message names it. */
  DeletionBlocked
}
