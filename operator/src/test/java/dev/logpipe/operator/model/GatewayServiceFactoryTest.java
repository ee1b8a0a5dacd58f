package dev.logpipe.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

class GatewayServiceFactoryTest {
  private final WorkerImage image = new WorkerImage("ghcr.io/logpipe/worker:0.1.0", "IfNotPresent");
  private final ClusterLogBackend backend = TestingFixtures.backend();
  private final LogPipeline pipeline = TestingFixtures.pipeline("team-payments", "payments");
  private final PipelineNames names = PipelineNames.of(pipeline, backend);

  private Deployment deployment(boolean gateway) {
    var config = PipelineConfigFactory.build(names, pipeline.getSpec(), backend.getSpec());
    return gateway
        ? new GatewayDeploymentFactory(image).desired(names, pipeline.getSpec(), config, null, null)
        : new WorkerDeploymentFactory(image).desired(names, pipeline.getSpec(), config, null);
  }

  @Test
  void selectsTheGatewayPodsAndNotTheWorkers() {
    Service s = GatewayServiceFactory.desired(names);

    assertThat(deployment(true).getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(s.getSpec().getSelector());
    assertThat(deployment(false).getSpec().getTemplate().getMetadata().getLabels())
        .doesNotContainEntry("app.kubernetes.io/component", "gateway");
    assertThat(s.getSpec().getSelector()).containsEntry("app.kubernetes.io/component", "gateway");
  }

  @Test
  void clusterIpPort80ToTheGatewaysNamedHttpPort() {
    Service s = GatewayServiceFactory.desired(names);
    ServicePort port = s.getSpec().getPorts().get(0);
    Container c = deployment(true).getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(s.getMetadata().getName()).isEqualTo("payments-gateway");
    assertThat(s.getMetadata().getNamespace()).isEqualTo("team-payments");
    assertThat(s.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(port.getPort()).isEqualTo(80);
    assertThat(port.getTargetPort().getStrVal()).isEqualTo(c.getPorts().get(0).getName());
    assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(8080);
    assertThat(names.gatewayUrl()).isEqualTo("http://payments-gateway.team-payments.svc");
  }
}
