package dev.logpipe.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.api.v1alpha1.LogPipelineStatus;
import dev.logpipe.operator.api.v1alpha1.StorageStatus;
import dev.logpipe.operator.dependent.ClickHouseTableDependentResource;
import dev.logpipe.operator.external.BackendException;
import dev.logpipe.operator.status.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeletionStatusTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);

  private LogPipeline readyPipeline() {
    LogPipeline p = TestingFixtures.pipeline("team-x", "y");
    LogPipelineStatus status = new LogPipelineStatus();
    status.setObservedGeneration(1L);
    status.setStorage(new StorageStatus("logs_team_x", "y"));
    status.setConditions(
        List.of(
            condition("Ready", "True", "Ready"),
            condition("StorageReady", "True", "StorageReady"),
            condition("TopicReady", "True", "TopicReady")));
    p.setStatus(status);
    return p;
  }

  private static Condition condition(String type, String status, String reason) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(type + " message")
        .withLastTransitionTime("2026-12-01T00:00:00Z")
        .build();
  }

  private static Condition find(LogPipelineStatus s, String type) {
    return s.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aFailedDropMakesReadyAndStorageFalseWithTheStepAndCause() {
    var failure =
        new BackendException(
            Reason.ClickHouseUnreachable,
            "Cannot reach ClickHouse at http://ch:8123: Connection refused");

    LogPipelineStatus s =
        DeletionStatus.of(
            readyPipeline(), Map.of(ClickHouseTableDependentResource.NAME, failure), clock);

    Condition ready = find(s, "Ready");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("DeletionBlocked");
    assertThat(ready.getMessage())
        .isEqualTo(
            "Deleting: dropping table logs_team_x.y failed: Cannot reach ClickHouse at"
                + " http://ch:8123: Connection refused; the operator retries every few seconds");
    assertThat(ready.getLastTransitionTime()).isEqualTo("2026-12-03T10:00:00Z");
    assertThat(find(s, "StorageReady").getReason()).isEqualTo("DeletionBlocked");
    assertThat(find(s, "TopicReady").getStatus()).isEqualTo("True");
    assertThat(s.getStorage()).isEqualTo(readyPipeline().getStatus().getStorage());
  }

  @Test
  void aQueuedDropIsDeletingNotBlocked() {
    var queued = new BackendException(Reason.Deleting, "Dropping logs_team_x.y is queued");

    LogPipelineStatus s =
        DeletionStatus.of(
            readyPipeline(), Map.of(ClickHouseTableDependentResource.NAME, queued), clock);

    assertThat(find(s, "Ready").getReason()).isEqualTo("Deleting");
    assertThat(find(s, "Ready").getMessage())
        .isEqualTo("Deleting: dropping table logs_team_x.y: Dropping logs_team_x.y is queued");
  }
}
