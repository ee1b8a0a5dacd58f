package dev.logpipe.sandbox.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A container's life as the kubelet reports it: restarts, back-off, readiness, status. */
class ContainerRunTest {
  static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  static Pod pod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("payments-worker-abc")
        .withNamespace("team-payments")
        .withUid("u1")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("worker")
        .withImage("ghcr.io/logpipe/pipeline-worker:0.1.0")
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void pendingUntilTheFirstStartThenRunningAndReadyAfterOneGoodProbe() {
    ContainerRun run = new ContainerRun(pod(), T0, 8080);
    PodStatus pending = PodStatusFactory.of(run.pod, run.snapshot());
    assertThat(pending.getPhase()).isEqualTo("Pending");
    assertThat(pending.getContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("ContainerCreating");
    assertThat(run.due(T0)).isTrue();
    run.started(null, 42, T0);
    assertThat(run.due(T0)).isFalse();
    run.probed(false, T0.plusSeconds(1), 3);
    assertThat(ready(run)).isEqualTo("False");
    run.probed(true, T0.plusSeconds(2), 3);
    PodStatus status = PodStatusFactory.of(run.pod, run.snapshot());
    assertThat(status.getPhase()).isEqualTo("Running");
    assertThat(ready(run)).isEqualTo("True");
    assertThat(readySince(status)).isEqualTo("2030-01-01T00:00:02Z");
    assertThat(status.getContainerStatuses().get(0).getState().getRunning().getStartedAt())
        .isEqualTo("2030-01-01T00:00:00Z");
    assertThat(status.getContainerStatuses().get(0).getRestartCount()).isZero();
  }

  @Test
  void readinessIsLostOnlyAfterTheFailureThresholdAndKeepsItsTransitionTime() {
    ContainerRun run = new ContainerRun(pod(), T0, 8080);
    run.started(null, 42, T0);
    run.probed(true, T0.plusSeconds(1), 3);
    run.probed(false, T0.plusSeconds(2), 3);
    run.probed(false, T0.plusSeconds(3), 3);
    assertThat(ready(run)).isEqualTo("True");
    assertThat(readySince(PodStatusFactory.of(run.pod, run.snapshot())))
        .isEqualTo("2030-01-01T00:00:01Z");
    run.probed(false, T0.plusSeconds(4), 3);
    assertThat(ready(run)).isEqualTo("False");
    assertThat(readySince(PodStatusFactory.of(run.pod, run.snapshot())))
        .isEqualTo("2030-01-01T00:00:04Z");
  }

  @Test
  void theFirstExitRestartsAtOnceThenTheBackOffDoublesToFiveMinutes() {
    ContainerRun run = new ContainerRun(pod(), T0, 8080);
    run.started(null, 1, T0);
    run.probed(true, T0.plusSeconds(1), 3);
    Instant t = T0.plusSeconds(5);
    run.exited(137, t);
    assertThat(ready(run)).isEqualTo("False");
    assertThat(run.due(t)).as("first restart at once").isTrue();
    PodStatus exited = PodStatusFactory.of(run.pod, run.snapshot());
    assertThat(exited.getPhase()).isEqualTo("Running");
    var last = exited.getContainerStatuses().get(0).getLastState().getTerminated();
    assertThat(last.getExitCode()).isEqualTo(137);
    assertThat(last.getReason()).isEqualTo("Error");
    assertThat(last.getStartedAt()).isEqualTo("2030-01-01T00:00:00Z");
    assertThat(last.getFinishedAt()).isEqualTo("2030-01-01T00:00:05Z");
    run.started(null, 2, t);
    assertThat(run.restartCount()).isEqualTo(1);

    long[] expected = {10, 20, 40, 80, 160, 300, 300};
    for (long seconds : expected) {
      t = t.plusSeconds(1);
      run.exited(1, t);
      PodStatus waiting = PodStatusFactory.of(run.pod, run.snapshot());
      var state = waiting.getContainerStatuses().get(0).getState().getWaiting();
      assertThat(state.getReason()).isEqualTo("CrashLoopBackOff");
      assertThat(state.getMessage()).startsWith("back-off " + seconds + "s restarting failed");
      assertThat(run.due(t.plusSeconds(seconds - 1))).isFalse();
      t = t.plusSeconds(seconds);
      assertThat(run.due(t)).isTrue();
      run.started(null, 3, t);
    }
    assertThat(run.restartCount()).isEqualTo(1 + expected.length);
    assertThat(
            PodStatusFactory.of(run.pod, run.snapshot())
                .getContainerStatuses()
                .get(0)
                .getLastState()
                .getTerminated()
                .getReason())
        .isEqualTo("Error");
  }

  @Test
  void aContainerThatRanTenMinutesStartsTheBackOffOver() {
    ContainerRun run = new ContainerRun(pod(), T0, 8080);
    run.started(null, 1, T0);
    run.exited(1, T0.plusSeconds(1));
    run.started(null, 2, T0.plusSeconds(1));
    run.exited(1, T0.plusSeconds(2));
    assertThat(run.due(T0.plusSeconds(3))).as("in back-off").isFalse();
    Instant later = T0.plusSeconds(12);
    run.started(null, 3, later);
    run.exited(0, later.plus(Duration.ofMinutes(10)));
    assertThat(run.due(later.plus(Duration.ofMinutes(10)))).as("back-off reset").isTrue();
    assertThat(
            PodStatusFactory.of(run.pod, run.snapshot())
                .getContainerStatuses()
                .get(0)
                .getLastState()
                .getTerminated()
                .getReason())
        .isEqualTo("Completed");
  }

  @Test
  void aMissingSecretWaitsWithTheKubeletsReasonAndIsRetried() {
    ContainerRun run = new ContainerRun(pod(), T0, 8080);
    run.notStartable("CreateContainerConfigError", "Secret x not found", T0, Duration.ofSeconds(2));
    var waiting =
        PodStatusFactory.of(run.pod, run.snapshot())
            .getContainerStatuses()
            .get(0)
            .getState()
            .getWaiting();
    assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
    assertThat(waiting.getMessage()).isEqualTo("Secret x not found");
    assertThat(run.due(T0.plusSeconds(1))).isFalse();
    assertThat(run.due(T0.plusSeconds(2))).isTrue();
  }

  @Test
  void aPodBeingDeletedIsNeverStartedAgain() {
    ContainerRun run = new ContainerRun(pod(), T0, 8080);
    run.deleting = true;
    assertThat(run.due(T0.plusSeconds(60))).isFalse();
  }

  private static String ready(ContainerRun run) {
    return PodStatusFactory.of(run.pod, run.snapshot()).getConditions().stream()
        .filter(c -> c.getType().equals("Ready"))
        .findFirst()
        .orElseThrow()
        .getStatus();
  }

  private static String readySince(PodStatus status) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals("Ready"))
        .findFirst()
        .orElseThrow()
        .getLastTransitionTime();
  }
}
