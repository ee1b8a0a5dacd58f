package dev.logpipe.operator.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * Where operator tests run: the fabric8 mock ({@link TestingKubernetes}, fast, no validation, no
 * RBAC, no controllers) or a real control plane ({@link TestingKubeApiServer}: the API server
 * judges every request, the operator holds only the chart's RBAC, controllers run).
 */
public interface TestingCluster extends AutoCloseable {

  /** The test's own client, allowed everything. */
  KubernetesClient client();

  /**
   * A client for the operator whose own namespace is {@code operatorNamespace} (on a real server:
   * the chart's ServiceAccount there, with the chart's RBAC and nothing more).
   */
  KubernetesClient operatorClient(String operatorNamespace);

  /** Creates namespace {@code name} with {@code labels}, as the test's own client. */
  default void namespace(String name, Map<String, String> labels) {
    client()
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build())
        .create();
  }

  /** True for a real API server with controllers (garbage collection, Deployments, ...). */
  boolean real();

  @Override
  void close();
}
