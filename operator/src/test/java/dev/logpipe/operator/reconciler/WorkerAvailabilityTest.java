package dev.logpipe.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.status.ConditionResult;
import dev.logpipe.operator.status.ConditionStatus;
import dev.logpipe.operator.status.Reason;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerAvailabilityTest {
  private static DeploymentBuilder deployment(long generation, long observed, int ready) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("p-worker")
        .withGeneration(generation)
        .endMetadata()
        .withNewStatus()
        .withObservedGeneration(observed)
        .withReadyReplicas(ready)
        .withAvailableReplicas(ready)
        .withUpdatedReplicas(2)
        .endStatus();
  }

  @Test
  void allReplicasOfTheCurrentSpecReadyIsAvailable() {
    ConditionResult r = WorkerAvailability.of(deployment(3, 3, 2).build(), 2);
    assertThat(r.status()).isEqualTo(ConditionStatus.True);
    assertThat(r.message()).isEqualTo("2 of 2 worker pods ready.");
  }

  @Test
  void aDeploymentBeingDeletedIsNotAvailableWhateverItsStatusSays() {
    // Adversarial review: a pipeline recreated under the same name while the old Deployment is
    // held by a finalizer reported "2 of 2 worker pods ready" from the Deployment going away.
    Deployment going =
        deployment(3, 3, 2)
            .editMetadata()
            .withDeletionTimestamp("2026-12-03T12:00:00Z")
            .withFinalizers("example.com/backup")
            .endMetadata()
            .build();
    assertThat(WorkerAvailability.ready(going)).isZero();
    ConditionResult r = WorkerAvailability.of(going, 2);
    assertThat(r.status()).isEqualTo(ConditionStatus.False);
    assertThat(r.reason()).isEqualTo(Reason.WorkersProgressing);
    assertThat(r.message())
        .isEqualTo(
            "Deployment p-worker is still being deleted (waiting for finalizers"
                + " example.com/backup); the worker Deployment is created again once it is gone.");
  }

  @Test
  void gatewayUsesItsOwnReasonsAndWording() {
    ConditionResult partly =
        WorkerAvailability.of(WorkerAvailability.GATEWAY, deployment(1, 1, 1).build(), 2);
    assertThat(partly.reason()).isEqualTo(Reason.GatewayProgressing);
    assertThat(partly.message()).isEqualTo("1 of 2 gateway pods ready.");
    ConditionResult all =
        WorkerAvailability.of(WorkerAvailability.GATEWAY, deployment(1, 1, 2).build(), 2);
    assertThat(all.status()).isEqualTo(ConditionStatus.True);
    assertThat(all.reason()).isEqualTo(Reason.GatewayAvailable);
    assertThat(WorkerAvailability.of(WorkerAvailability.GATEWAY, null, 1).message())
        .isEqualTo("The gateway Deployment is being created.");
  }

  @Test
  void aRolloutsOldPodsAreNotCountedForTheNewSpec() {
    // What the real Deployment controller reports mid-rollout of 1 replica with maxSurge 1: the
    // new pod is up but not ready, the old one still ready (seen on a real API server).
    var mid = deployment(2, 2, 1);
    mid.editStatus().withReplicas(2).withUpdatedReplicas(1).withAvailableReplicas(1).endStatus();
    ConditionResult r = WorkerAvailability.of(mid.build(), 1);
    assertThat(r.reason()).isEqualTo(Reason.WorkersProgressing);
    assertThat(r.message())
        .isEqualTo("0 of 1 worker pods ready (rolling out: 1 of the previous spec still running).");
    assertThat(WorkerAvailability.ready(mid.build())).isZero();

    var bothReady = deployment(2, 2, 2);
    bothReady
        .editStatus()
        .withReplicas(2)
        .withUpdatedReplicas(1)
        .withAvailableReplicas(2)
        .endStatus();
    assertThat(WorkerAvailability.of(bothReady.build(), 1).status())
        .isEqualTo(ConditionStatus.False);
    assertThat(WorkerAvailability.ready(bothReady.build())).isEqualTo(1);
  }

  @Test
  void partlyReadyIsProgressingWithCounts() {
    ConditionResult r = WorkerAvailability.of(deployment(1, 1, 1).build(), 2);
    assertThat(r.reason()).isEqualTo(Reason.WorkersProgressing);
    assertThat(r.message()).isEqualTo("1 of 2 worker pods ready.");
  }

  @Test
  void readyPodsOfAnOlderSpecDoNotCount() {
    assertThat(WorkerAvailability.of(deployment(4, 3, 2).build(), 2).status())
        .isEqualTo(ConditionStatus.False);
  }

  @Test
  void deadlineExceededIsUnavailable() {
    Deployment d =
        deployment(1, 1, 0)
            .editStatus()
            .withConditions(
                new DeploymentConditionBuilder()
                    .withType("Progressing")
                    .withStatus("False")
                    .withReason("ProgressDeadlineExceeded")
                    .build())
            .endStatus()
            .build();
    ConditionResult r = WorkerAvailability.of(d, 2);
    assertThat(r.reason()).isEqualTo(Reason.WorkersUnavailable);
    assertThat(r.message()).startsWith("0 of 2 worker pods ready; Deployment p-worker stopped");
  }

  @Test
  void noDeploymentYetAndScaledToZero() {
    assertThat(WorkerAvailability.of(null, 1).reason()).isEqualTo(Reason.WorkersProgressing);
    assertThat(WorkerAvailability.of(deployment(1, 1, 0).build(), 0).status())
        .isEqualTo(ConditionStatus.True);
  }

  @Test
  void crashingPodsTurnProgressingIntoCrashLoopingWithTheirStory() {
    var pods =
        List.of(
            PodDiagnosisTest.pod("p-worker-b", PodDiagnosisTest.crashLoop(4, 1, "boom")),
            PodDiagnosisTest.pod("p-worker-a", PodDiagnosisTest.crashLoop(5, 1, "boom")));
    ConditionResult r =
        WorkerAvailability.of(WorkerAvailability.WORKERS, deployment(1, 1, 0).build(), 2, pods);
    assertThat(r.status()).isEqualTo(ConditionStatus.False);
    assertThat(r.reason()).isEqualTo(Reason.WorkersCrashLooping);
    assertThat(r.message())
        .isEqualTo(
            "0 of 2 worker pods ready: container worker in pod p-worker-a is in CrashLoopBackOff"
                + " after 5 restarts; last exit code 1: Error, boom (2 pods affected).");
  }

  @Test
  void gatewayPodsGetTheGatewaysReasons() {
    var pods =
        List.of(
            PodDiagnosisTest.pod(
                "p-gateway-a", PodDiagnosisTest.waiting("ErrImagePull", "manifest unknown", 0)));
    ConditionResult r =
        WorkerAvailability.of(WorkerAvailability.GATEWAY, deployment(1, 1, 0).build(), 1, pods);
    assertThat(r.reason()).isEqualTo(Reason.GatewayImagePullFailed);
    assertThat(r.message())
        .isEqualTo(
            "0 of 1 gateway pods ready: container worker in pod p-gateway-a cannot pull its image"
                + " (ErrImagePull): manifest unknown.");
    var config =
        List.of(
            PodDiagnosisTest.pod(
                "p-gateway-a",
                PodDiagnosisTest.waiting("CreateContainerConfigError", "secret not found", 0)));
    assertThat(
            WorkerAvailability.of(
                    WorkerAvailability.GATEWAY, deployment(1, 1, 0).build(), 1, config)
                .reason())
        .isEqualTo(Reason.GatewayConfigError);
  }

  @Test
  void anAvailableDeploymentIsAvailableWhateverAnOldPodSays() {
    var pods = List.of(PodDiagnosisTest.pod("old", PodDiagnosisTest.crashLoop(9, 1, "x")));
    assertThat(
            WorkerAvailability.of(WorkerAvailability.WORKERS, deployment(1, 1, 2).build(), 2, pods)
                .status())
        .isEqualTo(ConditionStatus.True);
  }
}
