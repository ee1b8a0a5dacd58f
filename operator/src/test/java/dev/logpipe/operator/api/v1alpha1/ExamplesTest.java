package dev.logpipe.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logpipe.operator.model.LimitsCheck;
import dev.logpipe.operator.model.PipelineConfigFactory;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.operator.schema.SchemaCheck;
import dev.logpipe.worker.config.PipelineConfig;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every manifest in examples/ parses, passes the CRD schema, builds and fits its backend. */
class ExamplesTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Path EXAMPLES = CrdsUpToDateTest.ROOT.resolve("examples");
  private static final Map<String, JsonNode> manifests = new HashMap<>();

  @BeforeAll
  static void load() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        manifests.put(file.getFileName().toString(), yaml(Files.readString(file)));
      }
    }
  }

  private static JsonNode yaml(String text) {
    return SERIALIZATION.convertValue(SERIALIZATION.unmarshal(text, Map.class), JsonNode.class);
  }

  private static JSONSchemaProps schema(String crd) throws IOException {
    CustomResourceDefinition def =
        SERIALIZATION.unmarshal(
            Files.readString(CrdsUpToDateTest.COMMITTED.resolve(crd)),
            CustomResourceDefinition.class);
    return def.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
  }

  private static JSONSchemaProps schemaFor(String kind) throws IOException {
    return schema(
        kind.equals("LogPipeline")
            ? "logpipelines.logpipe.dev.yaml"
            : "clusterlogbackends.logpipe.dev.yaml");
  }

  private static <T> List<T> ofKind(String kind, Class<T> type) {
    return manifests.values().stream()
        .filter(m -> kind.equals(m.path("kind").asText()))
        .map(m -> SERIALIZATION.convertValue(m, type))
        .toList();
  }

  @Test
  void everyFileIsAKnownKindInOurApiGroupOrANamespace() {
    assertThat(manifests).hasSizeGreaterThanOrEqualTo(4);
    assertThat(manifests.values())
        .allSatisfy(
            m ->
                assertThat(m.path("apiVersion").asText() + " " + m.path("kind").asText())
                    .isIn(
                        "v1 Namespace",
                        "logpipe.dev/v1alpha1 LogPipeline",
                        "logpipe.dev/v1alpha1 ClusterLogBackend"));
  }

  @Test
  void everyCustomResourcePassesTheGeneratedSchema() throws IOException {
    for (Map.Entry<String, JsonNode> e : manifests.entrySet()) {
      String kind = e.getValue().path("kind").asText();
      if (!kind.equals("Namespace")) {
        assertThat(SchemaCheck.check(schemaFor(kind), e.getValue())).as(e.getKey()).isEmpty();
      }
    }
  }

  @Test
  void theSchemaCheckCatchesTyposBadEnumsMissingFieldsAndBounds() throws IOException {
    ObjectNode bad = manifests.get("logpipeline-nginx-regex.yaml").deepCopy();
    ObjectNode spec = (ObjectNode) bad.get("spec");
    spec.put("deletionPolicy", "Forget");
    spec.put("retentionDayz", 3);
    ((ObjectNode) spec.get("topic")).put("partitions", 0);
    ((ObjectNode) spec.get("anomalies").get("rules").get(0)).remove("score");

    assertThat(SchemaCheck.check(schemaFor("LogPipeline"), bad))
        .containsExactlyInAnyOrder(
            "spec.deletionPolicy: 'Forget' is not one of [Delete, Retain]",
            "spec.retentionDayz: unknown field",
            "spec.topic.partitions: must be between 1 and 1000, was 0",
            "spec.anomalies.rules[0].score: required");
  }

  @Test
  void everyPipelineBuildsAValidWorkerConfigAndFitsTheBackendLimits() {
    List<ClusterLogBackend> backends = ofKind("ClusterLogBackend", ClusterLogBackend.class);
    List<LogPipeline> pipelines = ofKind("LogPipeline", LogPipeline.class);
    Map<String, Namespace> namespaces = new HashMap<>();
    ofKind("Namespace", Namespace.class).forEach(n -> namespaces.put(n.getMetadata().getName(), n));
    assertThat(pipelines).hasSizeGreaterThanOrEqualTo(2);

    for (LogPipeline p : pipelines) {
      ClusterLogBackend backend =
          backends.stream()
              .filter(b -> b.getMetadata().getName().equals(p.getSpec().getBackend()))
              .findFirst()
              .orElseThrow();
      Namespace ns = namespaces.get(p.getMetadata().getNamespace());
      assertThat(ns).as("namespace of " + p.getMetadata().getName()).isNotNull();

      PipelineNames names = PipelineNames.of(p, backend);
      PipelineConfig config = PipelineConfigFactory.build(names, p.getSpec(), backend.getSpec());

      assertThat(config.validate()).isEmpty();
      assertThat(
              LimitsCheck.check(
                  ns.getMetadata().getName(),
                  ns.getMetadata().getLabels(),
                  p.getSpec(),
                  backend.getMetadata().getName(),
                  backend.getSpec()))
          .as(p.getMetadata().getName())
          .isEmpty();
    }
  }
}
