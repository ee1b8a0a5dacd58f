package dev.logpipe.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logpipe.operator.model.LimitsCheck;
import dev.logpipe.operator.model.PipelineConfigFactory;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.worker.config.PipelineConfig;
import io.fabric8.kubernetes.api.model.Namespace;
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

/**
 * Every manifest in examples/ parses, builds and fits its backend. That the API server accepts each
 * as written is CrdServerValidationIT's.
 */
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
