package dev.logpipe.operator.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.Interceptor.RequestTags;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The fabric8 mock API server in CRUD mode (indexed for named lookups, {@link
 * TestingIndexedCrudDispatcher}) behind {@link TestingApplyPatchDispatcher} and {@link
 * TestingApiRecorder} (what the operator's own client asks of the API), with our generated CRDs and
 * Strimzi's KafkaTopic and KafkaUser CRDs loaded first (without a CRD the mock has no status
 * subresource). It has no garbage collection: owned children outlive their owner here.
 */
public final class TestingKubernetes implements TestingCluster {
  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final TestingIndexedCrudDispatcher crud = new TestingIndexedCrudDispatcher();
  private final TestingApplyPatchDispatcher dispatcher = new TestingApplyPatchDispatcher(crud);
  private final TestingApiRecorder recorder = new TestingApiRecorder(dispatcher);
  private final List<KubernetesClient> operatorClients = new CopyOnWriteArrayList<>();

  public TestingKubernetes() {
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), recorder, false);
    server.init();
    client = server.createClient();
    loadCrds();
  }

  /**
   * A client for the operator: its requests carry {@link TestingApiRecorder#CALLER_HEADER}, so the
   * recorder tells them from the test's own. Closed with this server.
   */
  public KubernetesClient operatorClient() {
    Interceptor caller =
        new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            builder.setHeader(TestingApiRecorder.CALLER_HEADER, TestingApiRecorder.OPERATOR);
          }
        };
    KubernetesClient operator =
        server.createClient(
            b ->
                b.withHttpClientBuilderConsumer(
                    h -> h.addOrReplaceInterceptor("logpipe-test-caller", caller)));
    operatorClients.add(operator);
    return operator;
  }

  @Override
  public KubernetesClient operatorClient(String operatorNamespace) {
    return operatorClient();
  }

  @Override
  public boolean real() {
    return false;
  }

  public TestingApiRecorder recorder() {
    return recorder;
  }

  public TestingApplyPatchDispatcher dispatcher() {
    return dispatcher;
  }

  public TestingIndexedCrudDispatcher indexedDispatcher() {
    return crud;
  }

  @Override
  public KubernetesClient client() {
    return client;
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
    client.apiextensions().v1().customResourceDefinitions().resource(Crds.kafkaUser()).create();
  }

  @Override
  public void close() {
    operatorClients.forEach(KubernetesClient::close);
    client.close();
    server.destroy();
  }
}
