package dev.logpipe.operator.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.strimzi.api.kafka.Crds;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The fabric8 mock API server in CRUD mode (indexed for named lookups, {@link
 * TestingIndexedCrudDispatcher}) behind {@link TestingApplyPatchDispatcher}, with our generated
 * CRDs and Strimzi's KafkaTopic CRD loaded first (without a CRD the mock has no status
 * subresource). It has no garbage collection: owned children outlive their owner here.
 */
public final class TestingKubernetes implements AutoCloseable {
  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final TestingIndexedCrudDispatcher crud = new TestingIndexedCrudDispatcher();
  private final TestingApplyPatchDispatcher dispatcher = new TestingApplyPatchDispatcher(crud);

  public TestingKubernetes() {
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    client = server.createClient();
    loadCrds();
  }

  public TestingApplyPatchDispatcher dispatcher() {
    return dispatcher;
  }

  public TestingIndexedCrudDispatcher indexedDispatcher() {
    return crud;
  }

  public KubernetesClient client() {
    return client;
  }

  public void namespace(String name, Map<String, String> labels) {
    client
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

  private void loadCrds() {
    // Maven runs tests in operator/; programs (the benchmark) usually run from the repo root.
    String root = System.getProperty("logpipe.repo.root");
    Path crds =
        root != null
            ? Path.of(root, "crds")
            : Files.isDirectory(Path.of("../crds")) ? Path.of("../crds") : Path.of("crds");
    try (Stream<Path> files = Files.list(crds)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          client.apiextensions().v1().customResourceDefinitions().load(in).create();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CustomResourceDefinition kafkaTopic = Crds.kafkaTopic();
    client.apiextensions().v1().customResourceDefinitions().resource(kafkaTopic).create();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
