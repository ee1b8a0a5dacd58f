package dev.logpipe.operator.reconciler;

import dev.logpipe.operator.dependent.PipelineInputs;
import dev.logpipe.operator.dependent.RedisNamespaceDependentResource;
import dev.logpipe.operator.model.CredentialRotation;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.operator.status.ConditionResult;
import dev.logpipe.operator.status.ConditionStatus;
import dev.logpipe.operator.status.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CredentialsReady condition: per backend, whether the pipeline's pods use a least-privilege
 * user of their own, and if not, what could not be created and why. Never a secret value: only user
 * names, Secret names and the servers' error messages (with passwords masked where made).
 *
 * <p>Kafka: the pipeline's KafkaUsers or plaintext, from {@link KafkaUserReadiness}; a KafkaUser
 * problem leaves the pods waiting, so it names the reason before the other backends. ClickHouse
 * users are not created yet: {@link ClickHouseUserStatus} says why, from the backend check's probe.
 */
final class CredentialsReadiness {
  private CredentialsReadiness() {}

  /**
   * @param errors failures of this reconciliation's dependents, by dependent name
   * @param clickHouse what happened to the pipeline's ClickHouse user
   * @param kafka what happened to the pipeline's KafkaUsers
   */
  static ConditionResult of(
      PipelineInputs in,
      Map<String, Exception> errors,
      ClickHouseUserOutcome clickHouse,
      KafkaUserReadiness.Outcome kafka) {
    PipelineNames names = in.names();
    List<String> parts = new ArrayList<>();
    Reason failed = kafka.blocking() ? kafka.failed() : null;
    if (in.cacheActive()) {
      Exception e = errors.get(RedisNamespaceDependentResource.NAME);
      Reason reason = DependentFailures.backendReason(e);
      if (reason == Reason.RedisUserNotCreated) {
        failed = Reason.RedisUserNotCreated;
        parts.add("Redis: " + DependentFailures.describe(e, "the Redis user").message());
      } else if (e != null) {
        failed = failed == null ? Reason.Pending : failed;
        parts.add(
            "Redis: user "
                + names.backendUser()
                + " not confirmed, the cache reconcile failed (see CacheReady)");
      } else {
        parts.add(
            "Redis: own ACL user "
                + names.backendUser()
                + ", limited to keys "
                + names.redisKeyPrefix()
                + "* and the commands the worker and gateway use");
      }
    }
    parts.add("ClickHouse: " + clickHouse.message());
    if (!clickHouse.ownUser() && failed == null) {
      failed = clickHouse.reason();
    }
    parts.add("Kafka: " + kafka.message());
    if (failed == null) {
      failed = kafka.failed();
    }
    String message = String.join("; ", parts) + ".";
    if (failed == null) {
      return ConditionResult.isTrue(Reason.PipelineUsers, message);
    }
    boolean unknown =
        failed == Reason.Pending
            || (failed == kafka.failed() && kafka.status() == ConditionStatus.Unknown);
    return unknown
        ? ConditionResult.unknown(failed, message)
        : ConditionResult.isFalse(failed, message);
  }

  /**
   * The condition, saying which rotation request the credentials Secret was last written for
   * ({@code handled}, null when none): the request value only, never a password. With no user of
   * its own to rotate ({@code rotatable} false: no cache, Kafka without authentication) it says so
   * instead of "Rotated", since no password changed.
   */
  static ConditionResult withRotation(ConditionResult result, String handled, boolean rotatable) {
    if (handled == null) {
      return result;
    }
    String request = CredentialRotation.REQUEST + "=" + CredentialRotation.shown(handled);
    return new ConditionResult(
        result.status(),
        result.reason(),
        result.message()
            + (rotatable
                ? " Rotated for " + request + "."
                : " Nothing rotated for "
                    + request
                    + ": the pipeline has no Redis or Kafka user of its own (the backend's"
                    + " ClickHouse credentials are the platform team's to rotate)."));
  }
}
