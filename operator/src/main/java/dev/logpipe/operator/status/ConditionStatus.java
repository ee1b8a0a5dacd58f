package dev.logpipe.operator.status;

/** The Kubernetes condition statuses, spelled as the API spells them. */
public enum ConditionStatus {
  True,
  False,
  Unknown
}
