package dev.logpipe.deploy.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logpipe.deploy.Repo;
import dev.logpipe.deploy.Yaml;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackendSpec;
import dev.logpipe.operator.api.v1alpha1.LogPipelineSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Applying the same manifest twice (kubectl, Argo CD) shows no diff: the CRD defaults fill what a
 * manifest leaves out without touching what it sets, defaulting is idempotent, status lives in a
 * subresource, and the operator's Java types agree with the CRD defaults, so even a spec written
 * back from Java would not change a value. Checked on every LogPipeline/ClusterLogBackend in
 * examples/.
 */
class ReapplyWithoutDiffTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Map<String, Class<?>> SPEC_TYPES =
      Map.of(
          "LogPipeline", LogPipelineSpec.class, "ClusterLogBackend", ClusterLogBackendSpec.class);

  static Stream<Path> examples() throws IOException {
    return Files.list(Repo.ROOT.resolve("examples"))
        .filter(p -> p.toString().endsWith(".yaml"))
        .filter(p -> SPEC_TYPES.containsKey(Yaml.one(Repo.read(p)).path("kind").asText()))
        .sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void reapplyingTheManifestChangesNothing(Path example) {
    JsonNode manifest = Yaml.one(Repo.read(example));
    JsonNode crd = crd(manifest.path("kind").asText());
    JsonNode version = crd.path("spec").path("versions").get(0);
    assertThat(version.path("subresources").has("status"))
        .as("status subresource: status writes never touch spec or bump generation")
        .isTrue();
    JsonNode schema =
        version.path("schema").path("openAPIV3Schema").path("properties").path("spec");

    JsonNode spec = manifest.path("spec");
    JsonNode live = CrdDefaulter.apply(schema, spec);
    assertThat(differences("spec", spec, live))
        .as("defaults overwrite a value the manifest sets")
        .isEmpty();
    assertThat(CrdDefaulter.apply(schema, live)).as("defaulting is idempotent").isEqualTo(live);

    Object typed = SERIALIZATION.convertValue(live, SPEC_TYPES.get(manifest.path("kind").asText()));
    JsonNode fromJava = SERIALIZATION.convertValue(typed, JsonNode.class);
    assertThat(conflicts("spec", live, fromJava))
        .as("a Java default disagrees with the CRD default")
        .isEmpty();
  }

  /** Every optional object present but empty, so every CRD default applies and meets Java's. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"LogPipeline", "ClusterLogBackend"})
  void javaDefaultsEqualCrdDefaults(String kind) {
    JsonNode schema =
        crd(kind)
            .path("spec")
            .path("versions")
            .get(0)
            .path("schema")
            .path("openAPIV3Schema")
            .path("properties")
            .path("spec");
    com.fasterxml.jackson.databind.node.ObjectNode spec = Yaml.JSON.createObjectNode();
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            p -> {
              if ("object".equals(p.getValue().path("type").asText())
                  && p.getValue().has("properties")) {
                spec.putObject(p.getKey());
              }
            });
    assertThat(spec.size()).isGreaterThan(3);
    JsonNode live = CrdDefaulter.apply(schema, spec);
    JsonNode fromJava =
        SERIALIZATION.convertValue(
            SERIALIZATION.convertValue(live, SPEC_TYPES.get(kind)), JsonNode.class);
    assertThat(conflicts("spec", live, fromJava)).isEmpty();
  }

  private static JsonNode crd(String kind) {
    String file = kind.equals("LogPipeline") ? "logpipelines" : "clusterlogbackends";
    return Yaml.one(Repo.read(Repo.CRDS.resolve(file + ".logpipe.dev.yaml")));
  }

  /** Paths where {@code want} has a value that {@code got} lacks or holds differently. */
  static List<String> differences(String path, JsonNode want, JsonNode got) {
    List<String> out = new ArrayList<>();
    if (want.isObject() || want.isArray() && got.isArray() && want.size() == got.size()) {
      if (want.isArray()) {
        for (int i = 0; i < want.size(); i++) {
          out.addAll(differences(path + "[" + i + "]", want.get(i), got.get(i)));
        }
        return out;
      }
      want.fields()
          .forEachRemaining(
              e ->
                  out.addAll(
                      differences(path + "." + e.getKey(), e.getValue(), got.path(e.getKey()))));
    } else if (!numericEqual(want, got)) {
      out.add(path + ": " + want + " became " + got);
    }
    return out;
  }

  /** Paths present in both with different values; 500 and 500.0 are the same JSON number. */
  static List<String> conflicts(String path, JsonNode a, JsonNode b) {
    List<String> out = new ArrayList<>();
    if (a.isObject() && b.isObject()) {
      a.fields()
          .forEachRemaining(
              e -> {
                if (b.has(e.getKey()) && !b.get(e.getKey()).isNull()) {
                  out.addAll(conflicts(path + "." + e.getKey(), e.getValue(), b.get(e.getKey())));
                }
              });
    } else if (a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        out.addAll(conflicts(path + "[" + i + "]", a.get(i), b.get(i)));
      }
    } else if (!numericEqual(a, b)) {
      out.add(path + ": " + a + " vs " + b);
    }
    return out;
  }

  private static boolean numericEqual(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }
}
