package dev.logpipe.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.status.ConditionResult;
import dev.logpipe.operator.status.ConditionStatus;
import dev.logpipe.operator.status.Reason;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
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
}
