package dev.logpipe.operator.reconciler;

import dev.logpipe.operator.status.Reason;

/**
 * Whether the pipeline's pods use a ClickHouse user of their own ({@code ownUser}), and if not, the
 * reason and a message for CredentialsReady (never a secret value). {@code ownUser} is always false
 * until the operator creates ClickHouse users ({@code ClickHouseUserStatements}); the field is the
 * slot that change fills.
 */
record ClickHouseUserOutcome(boolean ownUser, Reason reason, String message) {

  /** The pods use the backend's ClickHouse credentials, copied into {@code copySecret}. */
  static ClickHouseUserOutcome shared(String copySecret, String why) {
    return new ClickHouseUserOutcome(
        false,
        Reason.SharedClickHouseCredentials,
        "the backend's credentials, copied into Secret " + copySecret + ", because " + why);
  }
}
