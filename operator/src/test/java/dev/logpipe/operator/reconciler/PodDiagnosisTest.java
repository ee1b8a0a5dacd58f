package dev.logpipe.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.reconciler.PodDiagnosis.Problem;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodDiagnosisTest {

  static ContainerStatusBuilder container(String name, boolean ready, int restarts) {
    return new ContainerStatusBuilder().withName(name).withReady(ready).withRestartCount(restarts);
  }

  static ContainerStatus waiting(String reason, String message, int restarts) {
    return container("worker", false, restarts)
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .endState()
        .build();
  }

  static ContainerStatus crashLoop(int restarts, int exit, String message) {
    return container("worker", false, restarts)
        .withNewState()
        .withNewWaiting()
        .withReason("CrashLoopBackOff")
        .withMessage("back-off 5m0s restarting failed container=worker")
        .endWaiting()
        .endState()
        .withNewLastState()
        .withNewTerminated()
        .withExitCode(exit)
        .withReason("Error")
        .withMessage(message)
        .endTerminated()
        .endLastState()
        .build();
  }

  static Pod pod(String name, ContainerStatus... statuses) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .withPhase("Running")
        .withContainerStatuses(statuses)
        .endStatus()
        .build();
  }

  @Test
  void crashLoopBackOffNamesPodContainerRestartsExitCodeAndTerminationMessage() {
    var f = PodDiagnosis.of("p-worker-1", crashLoop(5, 1, "cannot reach ClickHouse")).orElseThrow();
    assertThat(f.problem()).isEqualTo(Problem.CRASH_LOOP);
    assertThat(PodDiagnosis.describe(f))
        .isEqualTo(
            "container worker in pod p-worker-1 is in CrashLoopBackOff after 5 restarts; last exit"
                + " code 1: Error, cannot reach ClickHouse");
  }

  @Test
  void outOfMemoryKillsShowTheKubeletsReasonWithoutAMessage() {
    var f = PodDiagnosis.of("p", crashLoop(1, 137, null)).orElseThrow();
    assertThat(PodDiagnosis.describe(f))
        .isEqualTo(
            "container worker in pod p is in CrashLoopBackOff after 1 restart; last exit code 137:"
                + " Error");
  }

  @Test
  void imagePullAndContainerConfigFailuresHaveTheirOwnProblem() {
    for (String reason : List.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName")) {
      var f = PodDiagnosis.of("p", waiting(reason, "Back-off pulling image \"x:1\"", 0));
      assertThat(f)
          .as(reason)
          .hasValueSatisfying(v -> assertThat(v.problem()).isEqualTo(Problem.IMAGE_PULL));
    }
    var config =
        PodDiagnosis.of(
                "p",
                waiting(
                    "CreateContainerConfigError",
                    "couldn't find key LOGPIPE_REDIS_PASSWORD in Secret ns/p-credentials",
                    0))
            .orElseThrow();
    assertThat(config.problem()).isEqualTo(Problem.CONTAINER_CONFIG);
    assertThat(PodDiagnosis.describe(config))
        .isEqualTo(
            "container worker in pod p cannot be created (CreateContainerConfigError): couldn't"
                + " find key LOGPIPE_REDIS_PASSWORD in Secret ns/p-credentials");
  }

  @Test
  void aContainerThatKeepsFailingCountsEvenWhileItRunsAgain() {
    ContainerStatus restartedAgain =
        container("worker", false, 3)
            .withNewState()
            .withNewRunning()
            .endRunning()
            .endState()
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(2)
            .endTerminated()
            .endLastState()
            .build();
    assertThat(PodDiagnosis.of("p", restartedAgain))
        .hasValueSatisfying(
            f ->
                assertThat(PodDiagnosis.describe(f))
                    .contains("is in Running after 3 restarts; last exit code 2"));
    // Two failures may still be a slow start; a clean exit is not a failure.
    assertThat(
            PodDiagnosis.of(
                "p",
                container("worker", false, 2)
                    .withNewLastState()
                    .withNewTerminated()
                    .withExitCode(1)
                    .endTerminated()
                    .endLastState()
                    .build()))
        .isEmpty();
    assertThat(
            PodDiagnosis.of(
                "p",
                container("worker", false, 5)
                    .withNewLastState()
                    .withNewTerminated()
                    .withExitCode(0)
                    .endTerminated()
                    .endLastState()
                    .build()))
        .isEmpty();
  }

  @Test
  void readyStartingAndPullingContainersAreFine() {
    assertThat(PodDiagnosis.of("p", container("worker", true, 9).build())).isEmpty();
    assertThat(PodDiagnosis.of("p", waiting("ContainerCreating", null, 0))).isEmpty();
    assertThat(PodDiagnosis.of("p", waiting("PodInitializing", null, 0))).isEmpty();
  }

  @Test
  void worstPrefersTheMostDefiniteProblemThenThePodName() {
    List<Pod> pods =
        List.of(
            pod("b", crashLoop(4, 1, "x")),
            pod("c", waiting("ImagePullBackOff", "nope", 0)),
            pod("a", crashLoop(4, 1, "x")));
    assertThat(PodDiagnosis.worst(pods).orElseThrow().pod()).isEqualTo("c");
    assertThat(PodDiagnosis.worst(pods.subList(0, 1)).orElseThrow().pod()).isEqualTo("b");
    assertThat(PodDiagnosis.affectedPods(pods)).isEqualTo(3);
  }

  @Test
  void podsBeingDeletedOrFinishedAreIgnoredAndInitContainersCount() {
    Pod deleting = pod("old", crashLoop(9, 1, "x"));
    deleting.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
    Pod failed = pod("evicted", crashLoop(9, 1, "x"));
    failed.getStatus().setPhase("Failed");
    assertThat(PodDiagnosis.worst(List.of(deleting, failed))).isEmpty();
    Pod init =
        new PodBuilder()
            .withNewMetadata()
            .withName("init")
            .endMetadata()
            .withNewStatus()
            .withPhase("Pending")
            .withInitContainerStatuses(waiting("ErrImagePull", "denied", 0))
            .endStatus()
            .build();
    assertThat(PodDiagnosis.worst(List.of(init))).isPresent();
  }

  @Test
  void messagesAreOneShortLine() {
    String longLine = "x".repeat(500);
    var f = PodDiagnosis.of("p", crashLoop(3, 1, "first\nsecond\t\u0007" + longLine)).orElseThrow();
    assertThat(f.detail()).doesNotContain("\n", "\t", "\u0007").startsWith("Error, first second x");
    assertThat(f.detail()).hasSize("Error, ".length() + PodDiagnosis.MAX_TEXT);
    assertThat(f.detail()).endsWith("…");
  }
}
