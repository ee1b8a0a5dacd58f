package dev.logpipe.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.dependent.StorageProvisioner.Ownership;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

class StorageGateTest {
  private static Deployment running(int replicas) {
    return new DeploymentBuilder().withNewSpec().withReplicas(replicas).endSpec().build();
  }

  @Test
  void podsRunOnlyOnATableKnownToBeTheirs() {
    assertThat(StorageGate.replicas(3, Ownership.MINE, null)).isEqualTo(3);
    assertThat(StorageGate.replicas(3, Ownership.OTHERS, running(3))).isZero();
    // Not checked yet: a new Deployment waits at 0, a running one is not stopped by a restart.
    assertThat(StorageGate.replicas(3, Ownership.UNKNOWN, null)).isZero();
    assertThat(StorageGate.replicas(3, Ownership.UNKNOWN, running(0))).isZero();
    assertThat(StorageGate.replicas(3, Ownership.UNKNOWN, running(2))).isEqualTo(3);
  }
}
