package dev.logpipe.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logpipe.operator.api.v1alpha1.AutoscalingSpec;
import dev.logpipe.operator.api.v1alpha1.LogPipelineSpec;
import dev.logpipe.operator.api.v1alpha1.WorkersSpec;
import org.junit.jupiter.api.Test;

class AutoscalingRulesTest {
  private static WorkersSpec autoscaled(int min, int max) {
    AutoscalingSpec a = new AutoscalingSpec();
    a.setMinReplicas(min);
    a.setMaxReplicas(max);
    a.setTargetLagRecordsPerReplica(10_000L);
    WorkersSpec w = new WorkersSpec();
    w.setAutoscaling(a);
    return w;
  }

  @Test
  void aValidSpecPasses() {
    AutoscalingRules.check(autoscaled(1, 6), 6);
    AutoscalingRules.check(new WorkersSpec(), 1);
  }

  @Test
  void replicasAndAutoscalingTogetherAreInvalid() {
    WorkersSpec w = autoscaled(1, 6);
    w.setReplicas(2);
    assertThatThrownBy(() -> AutoscalingRules.check(w, 6))
        .isInstanceOf(InvalidPipelineException.class)
        .hasMessage("set either workers.replicas or workers.autoscaling, not both");
  }

  @Test
  void maxReplicasAbovePartitionsNamesBothNumbers() {
    assertThatThrownBy(() -> AutoscalingRules.check(autoscaled(1, 8), 6))
        .isInstanceOf(InvalidPipelineException.class)
        .hasMessageStartingWith("workers.autoscaling.maxReplicas 8 exceeds topic.partitions 6");
  }

  @Test
  void aTargetIsRequiredAndMinMustNotExceedMax() {
    WorkersSpec noTarget = autoscaled(1, 6);
    noTarget.getAutoscaling().setTargetLagRecordsPerReplica(null);
    assertThatThrownBy(() -> AutoscalingRules.check(noTarget, 6))
        .hasMessageContaining("needs a target");
    assertThatThrownBy(() -> AutoscalingRules.check(autoscaled(4, 3), 6))
        .hasMessageContaining("minReplicas 4 must be at least 1 and at most maxReplicas 3");
  }

  @Test
  void replicasComeFromOnePlace() {
    LogPipelineSpec spec = new LogPipelineSpec();
    assertThat(WorkerReplicas.of(spec, null, false)).isEqualTo(1);
    spec.getWorkers().setReplicas(3);
    // Without autoscaling an autoscaler value (stale) is never used.
    assertThat(WorkerReplicas.of(spec, 5, false)).isEqualTo(3);
    spec.setWorkers(autoscaled(2, 6));
    assertThat(WorkerReplicas.of(spec, null, false)).isEqualTo(2);
    assertThat(WorkerReplicas.of(spec, 5, false)).isEqualTo(5);
    // An HPA or ScaledObject owns replicas: the operator writes none.
    assertThat(WorkerReplicas.of(spec, 5, true)).isNull();
  }
}
