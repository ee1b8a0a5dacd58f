package dev.logpipe.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logpipe.operator.testing.TestingKubeApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRDs judged by the API server that will run them: every file in examples/ is accepted as
 * written (strict field validation, so nothing is silently pruned), and each manifest of {@link
 * InvalidManifests} is refused with the server's own message naming the field. The server compiled
 * every CEL rule and estimated its cost when the CRD was created ({@link TestingKubeApiServer}
 * waits for Established), and evaluates the rules here; this replaces the CEL-Java evaluation.
 */
class CrdServerValidationIT {
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Path EXAMPLES = CrdsUpToDateTest.ROOT.resolve("examples");
  private static TestingKubeApiServer server;
  private static final java.util.concurrent.atomic.AtomicInteger CHART_NAMES =
      new java.util.concurrent.atomic.AtomicInteger();

  @BeforeAll
  static void start() {
    // Validation is the API server's alone: no controllers needed.
    server = new TestingKubeApiServer(false);
    server.namespace(InvalidManifests.NAMESPACE, Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyExampleIsAcceptedAsWrittenWithNothingPruned() throws IOException {
    Map<String, ObjectNode> examples = examples();
    assertThat(examples).hasSizeGreaterThanOrEqualTo(4);
    // Namespaces first, then backends, then pipelines: the order `kubectl apply -f examples/`
    // needs.
    Comparator<Map.Entry<String, ObjectNode>> order =
        Comparator.comparingInt(e -> rank(e.getValue().path("kind").asText()));
    for (Map.Entry<String, ObjectNode> e : examples.entrySet().stream().sorted(order).toList()) {
      GenericKubernetesResource stored = create(e.getValue());
      JsonNode back = SERIALIZATION.convertValue(stored, JsonNode.class);
      assertThat(missing(e.getValue().path("spec"), back.path("spec"), "spec"))
          .as(e.getKey() + " as stored")
          .isEmpty();
    }
    // Defaults come from the schema, applied by the server: the quick start names none of these.
    JsonNode quickStart =
        SERIALIZATION.convertValue(
            client()
                .genericKubernetesResources(
                    LogPipeline.GROUP + "/" + LogPipeline.VERSION, "LogPipeline")
                .inNamespace("team-payments")
                .withName("payments")
                .get(),
            JsonNode.class);
    assertThat(quickStart.at("/spec/topic/partitions").asInt()).isEqualTo(3);
    assertThat(quickStart.at("/spec/deletionPolicy").asText()).isEqualTo("Retain");
    assertThat(quickStart.at("/spec/storage/retentionDays").asInt()).isEqualTo(14);
    // No schema default for replicas (it excludes autoscaling): absent means 1 to the operator.
    assertThat(quickStart.at("/spec/workers/replicas").isMissingNode()).isTrue();
    assertThat(quickStart.at("/spec/cache/enabled").asBoolean()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.logpipe.operator.api.v1alpha1.InvalidManifests#all")
  void theServerRefusesAnInvalidManifestNamingTheField(InvalidManifests.Case c) throws IOException {
    ObjectNode manifest = c.manifest(examples());
    KubernetesClientException refused =
        catchThrowableOfType(() -> create(manifest), KubernetesClientException.class);

    assertThat(refused).as("the server accepted " + manifest).isNotNull();
    assertThat(refused.getCode()).as(refused.getMessage()).isEqualTo(c.code());
    String message =
        refused.getStatus() == null ? refused.getMessage() : refused.getStatus().getMessage();
    for (String part : c.expected()) {
      assertThat(message).contains(part);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.logpipe.operator.api.v1alpha1.InvalidManifests#boundaries")
  void theServerAcceptsValuesAtTheLimits(InvalidManifests.Case c) throws IOException {
    ObjectNode manifest = c.manifest(examples());
    assertThat(create(manifest).getMetadata().getUid()).isNotBlank();
  }

  /**
   * Without strict validation (what a client gets by default) an unknown field is pruned: the
   * object is stored without it, which is why the tests above ask for Strict, as `kubectl apply`
   * does by default.
   */
  @Test
  void withoutStrictValidationAnUnknownFieldIsPrunedNotStored() throws IOException {
    ObjectNode pipeline = examples().get("logpipeline-quickstart.yaml").deepCopy();
    ((ObjectNode) pipeline.get("metadata")).put("name", "pruned");
    ((ObjectNode) pipeline.get("spec")).putObject("topic").put("partitons", 6);

    GenericKubernetesResource stored =
        client()
            .resource(SERIALIZATION.convertValue(pipeline, GenericKubernetesResource.class))
            .fieldValidation(Validation.IGNORE)
            .create();

    JsonNode back = SERIALIZATION.convertValue(stored, JsonNode.class);
    assertThat(back.at("/spec/topic").has("partitons")).isFalse();
    assertThat(back.at("/spec/topic/partitions").asInt()).isEqualTo(3);
  }

  /**
   * The ClusterLogBackends the Helm chart renders (with the value files deploy-tests renders) pass
   * the server's strict validation: the chart and the CRD it ships agree.
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"custom-values.yaml", "backend-every-field.yaml"})
  void theChartsRenderedBackendsAreAccepted(String valuesFile) {
    var template =
        new com.marcnuri.helm.Helm(CrdsUpToDateTest.ROOT.resolve("helm/logpipe-operator"))
            .template()
            .withName("logpipe")
            .withNamespace("logpipe-system")
            .withKubeVersion("v1.33.0");
    // The chart's defaults render no backend; deploy-tests' value files do.
    template =
        template.withValuesFile(
            CrdsUpToDateTest.ROOT
                .resolve("deploy-tests/src/test/resources/chart")
                .resolve(valuesFile)
                .toAbsolutePath());
    // Documents read as plain maps: a typed model would drop a field the CRD does not know.
    List<ObjectNode> backends = new ArrayList<>();
    for (String doc : template.call().split("(?m)^---")) {
      Object yaml = SERIALIZATION.unmarshal(doc, Map.class);
      if (yaml != null) {
        ObjectNode node = SERIALIZATION.convertValue(yaml, ObjectNode.class);
        if ("ClusterLogBackend".equals(node.path("kind").asText())) {
          backends.add(node);
        }
      }
    }
    assertThat(backends).isNotEmpty();
    for (ObjectNode backend : backends) {
      // Renamed: each rendering names its backends alike, and the server keeps what it accepted.
      String name = backend.at("/metadata/name").asText();
      ((ObjectNode) backend.get("metadata")).put("name", "chart-" + CHART_NAMES.incrementAndGet());
      assertThat(create(backend).getMetadata().getUid()).as(valuesFile + " " + name).isNotBlank();
    }
  }

  private static int rank(String kind) {
    return switch (kind) {
      case "Namespace" -> 0;
      case "ClusterLogBackend" -> 1;
      default -> 2;
    };
  }

  private static GenericKubernetesResource create(ObjectNode manifest) {
    return client()
        .resource(SERIALIZATION.convertValue(manifest, GenericKubernetesResource.class))
        .fieldValidation(Validation.STRICT)
        .create();
  }

  private static KubernetesClient client() {
    return server.client();
  }

  /** Paths of {@code written} that are absent from or different in {@code stored}. */
  private static java.util.List<String> missing(JsonNode written, JsonNode stored, String at) {
    java.util.List<String> out = new java.util.ArrayList<>();
    if (written.isObject()) {
      written
          .fields()
          .forEachRemaining(
              f ->
                  out.addAll(
                      missing(f.getValue(), stored.path(f.getKey()), at + "." + f.getKey())));
    } else if (written.isArray()) {
      for (int i = 0; i < written.size(); i++) {
        out.addAll(missing(written.get(i), stored.path(i), at + "[" + i + "]"));
      }
    } else if (!written.asText().equals(stored.asText())) {
      out.add(at + ": wrote " + written + ", stored " + stored);
    }
    return out;
  }

  static Map<String, ObjectNode> examples() throws IOException {
    Map<String, ObjectNode> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        Object yaml = SERIALIZATION.unmarshal(Files.readString(file), Map.class);
        out.put(file.getFileName().toString(), SERIALIZATION.convertValue(yaml, ObjectNode.class));
      }
    }
    return out;
  }
}
