package dev.logpipe.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.config.PipelineConfigLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import org.junit.jupiter.api.Test;

class ConfigMapFactoryTest {
  @Test
  void configJsonRoundTripsThroughTheWorkersLoader() {
    ClusterLogBackend backend = TestingFixtures.backend();
    LogPipeline pipeline = TestingFixtures.pipeline("team-payments", "payments");
    PipelineNames names = PipelineNames.of(pipeline, backend);
    PipelineConfig config =
        PipelineConfigFactory.build(names, pipeline.getSpec(), backend.getSpec());

    ConfigMap cm = ConfigMapFactory.desired(names, config);

    assertThat(cm.getMetadata().getName()).isEqualTo("payments-pipeline-config");
    assertThat(cm.getMetadata().getNamespace()).isEqualTo("team-payments");
    assertThat(cm.getMetadata().getLabels()).containsEntry("logpipe.dev/pipeline-name", "payments");
    assertThat(cm.getData()).containsOnlyKeys("pipeline.json");
    assertThat(PipelineConfigLoader.parse(cm.getData().get("pipeline.json"))).isEqualTo(config);
    assertThat(cm.getData().get("pipeline.json")).doesNotContainIgnoringCase("password");
  }
}
