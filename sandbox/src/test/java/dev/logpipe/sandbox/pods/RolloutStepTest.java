package dev.logpipe.sandbox.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutStepTest {
  record Pod(String templateHash, boolean alive, boolean ready) implements RunningPod {}

  @Test
  void createsAllPodsOfANewDeploymentAtOnce() {
    assertThat(RolloutStep.plan(2, "a", List.<Pod>of()).start()).isEqualTo(2);
  }

  @Test
  void rollsOneAtATimeKeepingOldPodsUntilNewOnesAreReady() {
    Pod old = new Pod("a", true, true);
    RolloutStep<Pod> first = RolloutStep.plan(1, "b", List.of(old));
    assertThat(first.start()).isEqualTo(1);
    assertThat(first.stop()).isEmpty();
    Pod starting = new Pod("b", true, false);
    assertThat(RolloutStep.plan(1, "b", List.of(old, starting)))
        .isEqualTo(new RolloutStep<>(0, List.of()));
    Pod up = new Pod("b", true, true);
    assertThat(RolloutStep.plan(1, "b", List.of(old, up)).stop()).containsExactly(old);
  }

  @Test
  void scalesDownNotReadyFirstAndReplacesExitedPods() {
    Pod ready = new Pod("a", true, true);
    Pod slow = new Pod("a", true, false);
    Pod dead = new Pod("a", false, false);
    assertThat(RolloutStep.plan(1, "a", List.of(ready, slow)).stop()).containsExactly(slow);
    RolloutStep<Pod> replace = RolloutStep.plan(2, "a", List.of(ready, dead));
    assertThat(replace.stop()).containsExactly(dead);
    assertThat(replace.start()).isEqualTo(1);
  }

  @Test
  void statusCountsReadyAndUpdatedPodsAndKeepsTransitionTimes() {
    Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
    DeploymentStatus rolling =
        DeploymentStatusFactory.of(
            3,
            2,
            List.of(new Pod("a", true, true), new Pod("b", true, false)),
            "b",
            t0,
            t0.plusSeconds(5),
            null);
    assertThat(rolling.getReplicas()).isEqualTo(2);
    assertThat(rolling.getUpdatedReplicas()).isEqualTo(1);
    assertThat(rolling.getReadyReplicas()).isEqualTo(1);
    assertThat(rolling.getObservedGeneration()).isEqualTo(3L);
    assertThat(rolling.getConditions())
        .extracting(c -> c.getType() + "=" + c.getStatus())
        .containsExactly("Available=False", "Progressing=True");
    DeploymentStatus done =
        DeploymentStatusFactory.of(
            3,
            2,
            List.of(new Pod("b", true, true), new Pod("b", true, true)),
            "b",
            t0,
            t0.plusSeconds(9),
            rolling);
    assertThat(done.getConditions().get(0).getStatus()).isEqualTo("True");
    assertThat(done.getConditions().get(1).getReason()).isEqualTo("NewReplicaSetAvailable");
    assertThat(done.getConditions().get(1).getLastTransitionTime())
        .isEqualTo(t0.plusSeconds(5).toString());
    DeploymentStatus stuck =
        DeploymentStatusFactory.of(3, 2, List.of(), "b", t0, t0.plusSeconds(601), done);
    assertThat(stuck.getConditions().get(1).getReason()).isEqualTo("ProgressDeadlineExceeded");
  }

  @Test
  void rewritesMountPathsInArgsAndEnv() {
    Map<String, Path> mounts = Map.of("/etc/logpipe", Path.of("/tmp/pod/volumes/config"));
    assertThat(PodLaunchFactory.rewrite("/etc/logpipe/pipeline.json", mounts))
        .isEqualTo("/tmp/pod/volumes/config/pipeline.json");
    assertThat(PodLaunchFactory.rewrite("/etc/logpipe", mounts))
        .isEqualTo("/tmp/pod/volumes/config");
    assertThat(PodLaunchFactory.rewrite("/etc/logpipeX", mounts)).isEqualTo("/etc/logpipeX");
    assertThat(PodLaunchFactory.rewrite("consume", mounts)).isEqualTo("consume");
  }
}
