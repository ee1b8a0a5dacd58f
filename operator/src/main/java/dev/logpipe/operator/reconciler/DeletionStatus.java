package dev.logpipe.operator.reconciler;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.api.v1alpha1.LogPipelineStatus;
import dev.logpipe.operator.dependent.ClickHouseTableDependentResource;
import dev.logpipe.operator.dependent.DeadLetterTopicDependentResource;
import dev.logpipe.operator.dependent.KafkaTopicDependentResource;
import dev.logpipe.operator.dependent.RedisNamespaceDependentResource;
import dev.logpipe.operator.status.ConditionResult;
import dev.logpipe.operator.status.ConditionType;
import dev.logpipe.operator.status.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The status of a pipeline whose deletion waits for a cleanup step (a table drop queued or failing,
 * topics or Redis keys not removed yet): Ready is False with the step and its cause, and so is the
 * condition of that step, so nothing keeps saying "ready" about what is being taken down. Built
 * from the last status on every retry, so it follows the cause as it changes.
 */
final class DeletionStatus {
  private DeletionStatus() {}

  /**
   * @param failures the cleanup steps that did not finish, by dependent name
   */
  static LogPipelineStatus of(LogPipeline pipeline, Map<String, Exception> failures, Clock clock) {
    LogPipelineStatus old =
        pipeline.getStatus() == null ? new LogPipelineStatus() : pipeline.getStatus();
    Map<ConditionType, ConditionResult> blocked = new LinkedHashMap<>();
    List<String> steps = new ArrayList<>();
    boolean onlyQueued = true;
    for (var failure : failures.entrySet()) {
      ConditionResult cause = DependentFailures.describe(failure.getValue(), failure.getKey());
      onlyQueued &= cause.reason() == Reason.Deleting;
      String step =
          step(failure.getKey(), old) + (cause.reason() == Reason.Deleting ? ": " : " failed: ");
      steps.add(step + cause.message());
      blocked.put(
          condition(failure.getKey()),
          ConditionResult.isFalse(
              cause.reason() == Reason.Deleting ? Reason.Deleting : Reason.DeletionBlocked,
              "Deleting: " + step + cause.message()));
    }
    Reason reason = onlyQueued ? Reason.Deleting : Reason.DeletionBlocked;
    String message =
        "Deleting: "
            + String.join("; ", steps)
            + (onlyQueued ? "" : "; the operator retries every few seconds");
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    List<Condition> conditions = new ArrayList<>();
    conditions.add(
        condition(ConditionType.Ready, ConditionResult.isFalse(reason, message), old, now));
    for (Condition c : old.getConditions()) {
      ConditionType type = typeOf(c);
      if (type == ConditionType.Ready) {
        continue;
      }
      ConditionResult replaced = type == null ? null : blocked.remove(type);
      conditions.add(replaced == null ? c : condition(type, replaced, old, now));
    }
    blocked.forEach((type, r) -> conditions.add(condition(type, r, old, now)));
    LogPipelineStatus status = new LogPipelineStatus();
    status.setObservedGeneration(old.getObservedGeneration());
    status.setConditions(conditions);
    status.setTopic(old.getTopic());
    status.setStorage(old.getStorage());
    status.setWorkers(old.getWorkers());
    status.setGateway(old.getGateway());
    return status;
  }

  private static String step(String dependent, LogPipelineStatus old) {
    return switch (dependent) {
      case ClickHouseTableDependentResource.NAME ->
          old.getStorage() == null
              ? "dropping the table"
              : "dropping table "
                  + old.getStorage().getDatabase()
                  + "."
                  + old.getStorage().getTable();
      case KafkaTopicDependentResource.NAME ->
          old.getTopic() == null
              ? "deleting the KafkaTopic"
              : "deleting KafkaTopic " + old.getTopic().getName();
      case DeadLetterTopicDependentResource.NAME -> "deleting the dead-letter KafkaTopic";
      case RedisNamespaceDependentResource.NAME -> "removing the Redis keys";
      default -> "removing " + dependent;
    };
  }

  private static ConditionType condition(String dependent) {
    return switch (dependent) {
      case ClickHouseTableDependentResource.NAME -> ConditionType.StorageReady;
      case RedisNamespaceDependentResource.NAME -> ConditionType.CacheReady;
      default -> ConditionType.TopicReady;
    };
  }

  private static ConditionType typeOf(Condition c) {
    for (ConditionType t : ConditionType.values()) {
      if (t.name().equals(c.getType())) {
        return t;
      }
    }
    return null;
  }

  private static Condition condition(
      ConditionType type, ConditionResult r, LogPipelineStatus old, String now) {
    Condition before =
        old.getConditions().stream()
            .filter(c -> type.name().equals(c.getType()))
            .findFirst()
            .orElse(null);
    boolean same = before != null && r.status().name().equals(before.getStatus());
    return new ConditionBuilder()
        .withType(type.name())
        .withStatus(r.status().name())
        .withReason(r.reason().name())
        .withMessage(r.message())
        .withObservedGeneration(old.getObservedGeneration())
        .withLastTransitionTime(
            same && before.getLastTransitionTime() != null ? before.getLastTransitionTime() : now)
        .build();
  }
}
