package dev.logpipe.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/** The ClusterIP Service in front of the gateway pods: port 80 to their HTTP port. */
public final class GatewayServiceFactory {
  public static final int PORT = 80;

  private GatewayServiceFactory() {}

  public static Service desired(PipelineNames names) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(names.gatewayService())
        .withNamespace(names.namespace())
        .withLabels(names.labels(GatewayDeploymentFactory.COMPONENT))
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(names.selectorLabels(GatewayDeploymentFactory.COMPONENT))
        .addNewPort()
        .withName(PipelineDeployments.PORT_NAME)
        .withProtocol("TCP")
        .withPort(PORT)
        .withTargetPort(new IntOrString(PipelineDeployments.PORT_NAME))
        .endPort()
        .endSpec()
        .build();
  }
}
