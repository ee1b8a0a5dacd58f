package dev.logpipe.operator.status;

import static dev.logpipe.operator.status.ConditionStatus.False;
import static dev.logpipe.operator.status.ConditionStatus.True;
import static dev.logpipe.operator.status.ConditionStatus.Unknown;
import static dev.logpipe.operator.status.ConditionType.Accepted;
import static dev.logpipe.operator.status.ConditionType.CacheReady;
import static dev.logpipe.operator.status.ConditionType.StorageReady;
import static dev.logpipe.operator.status.ConditionType.TopicReady;
import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.api.v1alpha1.LogPipelineStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {
  private static final Clock T1 =
      Clock.fixed(Instant.parse("2025-01-01T10:00:00Z"), ZoneOffset.UTC);
  private static final Clock T2 =
      Clock.fixed(Instant.parse("2025-01-01T10:05:00Z"), ZoneOffset.UTC);

  private static StatusAggregator healthy(long generation, Clock clock) {
    return new StatusAggregator(generation, clock)
        .require(Accepted, TopicReady, StorageReady)
        .set(Accepted, True, Reason.Accepted, "The spec is valid and within the backend's limits.")
        .set(TopicReady, True, Reason.TopicReady, "Topic logpipe.a.b is ready.")
        .set(StorageReady, True, Reason.StorageReady, "Table logs_a.b is ready.");
  }

  private static Condition get(List<Condition> conditions, ConditionType type) {
    return conditions.stream().filter(c -> c.getType().equals(type.name())).findFirst().get();
  }

  @Test
  void readyIsTrueOnlyWhenEveryRequiredConditionIsTrue() {
    List<Condition> conditions =
        healthy(3, T1)
            .set(CacheReady, False, Reason.RedisUnreachable, "Redis is down; logs still flow.")
            .conditions(List.of());

    assertThat(conditions.get(0).getType()).isEqualTo("Ready");
    assertThat(get(conditions, ConditionType.Ready).getStatus()).isEqualTo("True");
    assertThat(conditions).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(3L));
  }

  @Test
  void readyIsFalseWithTheFirstFailingConditionsReasonAndMessage() {
    List<Condition> conditions =
        healthy(1, T1)
            .set(TopicReady, Unknown, Reason.Pending, "Waiting for the topic operator.")
            .set(
                StorageReady,
                False,
                Reason.ClickHouseAuthFailed,
                "ClickHouse rejected the credentials in Secret logpipe-system/clickhouse-admin.")
            .conditions(List.of());

    Condition ready = get(conditions, ConditionType.Ready);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("ClickHouseAuthFailed");
    assertThat(ready.getMessage()).contains("logpipe-system/clickhouse-admin");
  }

  @Test
  void aRequiredConditionNotReportedKeepsReadyFalse() {
    List<Condition> conditions =
        new StatusAggregator(1, T1)
            .require(Accepted, TopicReady)
            .set(Accepted, True, Reason.Accepted, "ok")
            .conditions(List.of());

    Condition ready = get(conditions, ConditionType.Ready);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("Pending");
    assertThat(ready.getMessage()).isEqualTo("TopicReady has not been checked yet.");
  }

  @Test
  void lastTransitionTimeIsKeptWhileTheStatusStaysTheSame() {
    List<Condition> first = healthy(1, T1).conditions(List.of());
    List<Condition> second =
        healthy(1, T2)
            .set(StorageReady, False, Reason.ClickHouseUnreachable, "ClickHouse is unreachable.")
            .conditions(first);

    assertThat(get(second, TopicReady).getLastTransitionTime()).isEqualTo("2025-01-01T10:00:00Z");
    assertThat(get(second, StorageReady).getLastTransitionTime()).isEqualTo("2025-01-01T10:05:00Z");
    assertThat(get(second, ConditionType.Ready).getLastTransitionTime())
        .isEqualTo("2025-01-01T10:05:00Z");
  }

  @Test
  void changeDetectionIgnoresTheClockButSeesRealChanges() {
    LogPipelineStatus old = new LogPipelineStatus();
    old.setConditions(healthy(1, T1).conditions(List.of()));
    old.setObservedGeneration(1L);

    LogPipelineStatus same = new LogPipelineStatus();
    same.setConditions(healthy(1, T2).conditions(old.getConditions()));
    same.setObservedGeneration(1L);
    assertThat(StatusAggregator.changed(old, same)).isFalse();

    LogPipelineStatus newGeneration = new LogPipelineStatus();
    newGeneration.setConditions(healthy(2, T2).conditions(old.getConditions()));
    newGeneration.setObservedGeneration(2L);
    assertThat(StatusAggregator.changed(old, newGeneration)).isTrue();

    LogPipelineStatus newMessage = new LogPipelineStatus();
    newMessage.setConditions(
        healthy(1, T2)
            .set(TopicReady, True, Reason.TopicReady, "Topic logpipe.a.b is ready (6 partitions).")
            .conditions(old.getConditions()));
    newMessage.setObservedGeneration(1L);
    assertThat(StatusAggregator.changed(old, newMessage)).isTrue();
    assertThat(get(newMessage.getConditions(), TopicReady).getLastTransitionTime())
        .isEqualTo("2025-01-01T10:00:00Z");
  }
}
