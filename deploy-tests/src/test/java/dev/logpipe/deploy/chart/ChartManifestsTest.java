package dev.logpipe.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logpipe.deploy.Repo;
import dev.logpipe.deploy.Yaml;
import dev.logpipe.operator.schema.SchemaCheck;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the chart renders, read the way the API server reads it: every document as its typed fabric8
 * model with no field the model does not know, and every ClusterLogBackend against the
 * openAPIV3Schema of the CRD the chart ships (the same check the operator runs on examples/).
 */
class ChartManifestsTest {
  static final Path EVERY_FIELD = Path.of("src/test/resources/chart/backend-every-field.yaml");
  // Prometheus Operator kinds: no fabric8 model on the classpath, checked as YAML elsewhere.
  private static final Set<String> UNTYPED = Set.of("ServiceMonitor", "PodMonitor");

  static Stream<String> renderings() {
    return Stream.of("defaults", "custom-values", "backend-every-field");
  }

  static Chart.Rendered render(String which) {
    return switch (which) {
      case "defaults" -> Chart.render(t -> t);
      case "custom-values" ->
          Chart.render(t -> t.withValuesFile(ChartValuesTest.CUSTOM.toAbsolutePath()));
      default -> Chart.render(t -> t.withValuesFile(EVERY_FIELD.toAbsolutePath()));
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void everyManifestIsItsTypedModelWithoutUnknownFields(String which) {
    Chart.Rendered rendered = render(which);
    List<KubernetesResource> typed = rendered.typed();
    assertThat(typed).hasSameSizeAs(rendered.docs()).isNotEmpty();
    for (int i = 0; i < typed.size(); i++) {
      String kind = rendered.docs().get(i).path("kind").asText();
      if (UNTYPED.contains(kind)) {
        assertThat(typed.get(i)).isInstanceOf(GenericKubernetesResource.class);
        continue;
      }
      assertThat(typed.get(i)).as(kind).isNotInstanceOf(GenericKubernetesResource.class);
      assertThat(UnknownFields.in(typed.get(i))).as(rendered.names().get(i)).isEmpty();
    }
  }

  @Test
  void typedAccessGivesTheOperatorsDeploymentAndClusterRole() {
    Chart.Rendered rendered = render("defaults");
    Deployment deployment = rendered.typed(Deployment.class, Chart.FULLNAME);
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    ClusterRole role = rendered.typed(ClusterRole.class, Chart.FULLNAME);
    assertThat(role.getRules()).isNotEmpty().allSatisfy(r -> assertThat(r.getVerbs()).isNotEmpty());
  }

  @Test
  void unknownFieldCheckCatchesAMisspelledKey() {
    JsonNode doc =
        Yaml.one(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: x}
            spec:
              template:
                spec:
                  containers:
                    - name: x
                      redinessProbe: {httpGet: {path: /healthz, port: 8080}}
            """);
    Object typed = Chart.SERIALIZATION.convertValue(doc, KubernetesResource.class);
    assertThat(UnknownFields.in(typed))
        .containsExactly("spec.template.spec.containers[0].redinessProbe");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void renderedBackendsPassTheCrdSchema(String which) {
    for (JsonNode backend : render(which).ofKind("ClusterLogBackend")) {
      assertThat(SchemaCheck.check(backendSchema(), backend)).as(backend.toString()).isEmpty();
    }
  }

  @Test
  void theEveryFieldBackendSetsEveryFieldTheValuesSchemaKnows() {
    JsonNode values =
        Yaml.one(Repo.read(Repo.CHART.resolve("values.schema.json")))
            .path("properties")
            .path("backends")
            .path("items");
    JsonNode backend = Yaml.one(Repo.read(EVERY_FIELD)).path("backends").get(0);
    List<String> missing = new ArrayList<>();
    missing(values, backend, "", missing);
    assertThat(missing).isEmpty();
    assertThat(render("backend-every-field").ofKind("ClusterLogBackend")).hasSize(1);
  }

  /** The check is live: what the API server would refuse, it reports. */
  @Test
  void schemaCheckReportsWhatTheApiServerWouldRefuse() {
    JsonNode backend = render("custom-values").get("ClusterLogBackend", "default").deepCopy();
    ObjectNode limits = (ObjectNode) backend.path("spec").path("limits");
    limits.put("maxPartitions", 1001);
    limits.put("maxPartition", 12);
    assertThat(SchemaCheck.check(backendSchema(), backend))
        .containsExactlyInAnyOrder(
            "spec.limits.maxPartitions: must be between 1 and 1000, was 1001",
            "spec.limits.maxPartition: unknown field");
  }

  private static void missing(JsonNode schema, JsonNode value, String at, List<String> out) {
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            p -> {
              String path = at + p.getKey();
              if (!value.has(p.getKey())) {
                out.add(path);
              } else {
                missing(p.getValue(), value.get(p.getKey()), path + ".", out);
              }
            });
  }

  private static JSONSchemaProps backendSchema() {
    CustomResourceDefinition crd =
        Chart.SERIALIZATION.unmarshal(
            Repo.read(Repo.CHART.resolve("crds/clusterlogbackends.logpipe.dev.yaml")),
            CustomResourceDefinition.class);
    return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
  }
}
