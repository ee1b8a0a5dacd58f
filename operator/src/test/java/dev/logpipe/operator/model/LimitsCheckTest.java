package dev.logpipe.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackendSpec;
import dev.logpipe.operator.api.v1alpha1.LogPipelineSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsCheckTest {
  private final ClusterLogBackendSpec backend = TestingFixtures.backend().getSpec();
  private final LogPipelineSpec spec = new LogPipelineSpec();

  private List<LimitsCheck.Violation> check(Map<String, String> labels) {
    return LimitsCheck.check("team-a", labels, spec, "default", backend);
  }

  @Test
  void defaultsPassDefaultLimits() {
    assertThat(check(Map.of())).isEmpty();
  }

  @Test
  void eachExceededLimitSaysWhichAndByHowMuch() {
    spec.getTopic().setPartitions(48);
    spec.getTopic().setReplicas(5);
    spec.getTopic().setRetentionHours(200);
    spec.getWorkers().setReplicas(9);
    spec.getStorage().setRetentionDays(31);

    assertThat(check(Map.of()))
        .extracting(LimitsCheck.Violation::message)
        .containsExactly(
            "topic.partitions 48 exceeds the backend limit of 24 by 24 (limits.maxPartitions)",
            "topic.replicas 5 exceeds the backend limit of 3 by 2 (limits.maxReplicas)",
            "topic.retentionHours 200 exceeds the backend limit of 168 by 32"
                + " (limits.maxRetentionHours)",
            "workers.replicas 9 exceeds the backend limit of 8 by 1 (limits.maxWorkers)",
            "storage.retentionDays 31 exceeds the backend limit of 30 by 1"
                + " (limits.maxRetentionDays)");
  }

  @Test
  void autoscalingMaxReplicasIsCheckedAgainstMaxWorkersInsteadOfReplicas() {
    var autoscaling = new dev.logpipe.operator.api.v1alpha1.AutoscalingSpec();
    autoscaling.setMaxReplicas(12);
    autoscaling.setTargetLagSeconds(30);
    spec.getWorkers().setAutoscaling(autoscaling);
    assertThat(check(Map.of()))
        .extracting(LimitsCheck.Violation::message)
        .containsExactly(
            "workers.autoscaling.maxReplicas 12 exceeds the backend limit of 8 by 4"
                + " (limits.maxWorkers)");
    autoscaling.setMaxReplicas(8);
    assertThat(check(Map.of())).isEmpty();
  }

  @Test
  void exactlyAtTheLimitPasses() {
    spec.getTopic().setPartitions(24);
    assertThat(check(Map.of())).isEmpty();
  }

  @Test
  void namespaceMustMatchAllowedNamespaces() {
    backend.setAllowedNamespaces(
        new LabelSelectorBuilder()
            .addToMatchLabels("logging", "enabled")
            .addNewMatchExpression()
            .withKey("tier")
            .withOperator("NotIn")
            .withValues("sandbox")
            .endMatchExpression()
            .build());

    assertThat(check(Map.of("logging", "enabled"))).isEmpty();
    assertThat(check(Map.of("logging", "enabled", "tier", "sandbox")))
        .singleElement()
        .satisfies(v -> assertThat(v.namespaceNotAllowed()).isTrue());
    assertThat(check(Map.of()))
        .extracting(LimitsCheck.Violation::message)
        .containsExactly(
            "namespace team-a may not use ClusterLogBackend default: its labels do not match the"
                + " backend's allowedNamespaces (logging=enabled, tier NotIn (sandbox))");
  }
}
