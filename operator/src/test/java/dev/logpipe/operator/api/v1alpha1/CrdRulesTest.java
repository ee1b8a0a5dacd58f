package dev.logpipe.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logpipe.operator.schema.CelRules;
import dev.logpipe.operator.schema.SchemaCheck;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The CRDs' CEL rules (x-kubernetes-validations): they compile, they reject what their messages
 * say, and their cost is bounded the way the API server's estimator needs (every list a rule can
 * iterate has maxItems, every map maxProperties, every string inside them maxLength or an enum;
 * otherwise the estimate uses the 3 MB request size and the server refuses the CRD).
 */
class CrdRulesTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private static JSONSchemaProps schema(String file) throws IOException {
    return SERIALIZATION
        .unmarshal(
            Files.readString(CrdsUpToDateTest.COMMITTED.resolve(file)),
            CustomResourceDefinition.class)
        .getSpec()
        .getVersions()
        .get(0)
        .getSchema()
        .getOpenAPIV3Schema();
  }

  private static final List<String> CRDS =
      List.of("logpipelines.logpipe.dev.yaml", "clusterlogbackends.logpipe.dev.yaml");

  @Test
  void everyRuleCompilesAndTheirCostIsBounded() throws IOException {
    List<String> rules = new ArrayList<>();
    List<String> unbounded = new ArrayList<>();
    for (String crd : CRDS) {
      walk(
          crd,
          schema(crd),
          (at, node) -> {
            if (node.getXKubernetesValidations() != null) {
              node.getXKubernetesValidations()
                  .forEach(
                      r -> {
                        CelRules.program(r.getRule());
                        rules.add(at + ": " + r.getRule());
                      });
              bounds(at, node, unbounded);
            }
          });
    }
    assertThat(rules).hasSizeGreaterThanOrEqualTo(6);
    assertThat(unbounded).as("unbounded under a CEL rule").isEmpty();
  }

  @Test
  void theExamplesPassEveryRule() throws IOException {
    for (String file : List.of("logpipeline-nginx-regex.yaml", "logpipeline-quickstart.yaml")) {
      assertThat(SchemaCheck.check(schema(CRDS.get(0)), example(file))).as(file).isEmpty();
    }
  }

  @Test
  void eachRuleRejectsWhatItsMessageSays() throws IOException {
    JSONSchemaProps crd = schema(CRDS.get(0));
    assertThat(
            violations(
                crd,
                p -> {
                  ArrayNode rules = (ArrayNode) p.with("spec").with("anomalies").get("rules");
                  rules.add(rules.get(0).deepCopy());
                }))
        .containsExactly("spec.anomalies: anomalies.rules names must be unique");
    assertThat(
            violations(
                crd,
                p ->
                    ((ObjectNode) p.with("spec").with("anomalies").get("rules").get(0).get("when"))
                        .put("lt", 10)))
        .containsExactly(
            "spec.anomalies.rules[0].when: set exactly one of eq, in, gt, gte, lt, lte, contains,"
                + " matches, exists");
    assertThat(violations(crd, p -> p.with("spec").with("format").remove("pattern")))
        .containsExactly("spec.format: format.pattern is required when format.type is regex");
    assertThat(violations(crd, p -> p.with("spec").with("format").put("type", "json")))
        .containsExactly("spec.format: format.pattern is only allowed when format.type is regex");
    assertThat(
            violations(
                crd, p -> p.with("spec").with("format").with("fields").put("severity", "lvl")))
        .containsExactly(
            "spec.format: format.fields keys must be unified-schema fields: timestamp, level,"
                + " service, message, host, trace_id, status_code, latency_ms, error_code");
    assertThat(violations(crd, p -> ((ObjectNode) p.get("metadata")).put("name", "edge.nginx")))
        .containsExactly(
            "metadata.name must be a DNS label: at most 63 lower-case letters, digits and '-', no"
                + " dots");
  }

  private static List<String> violations(JSONSchemaProps crd, Consumer<ObjectNode> edit)
      throws IOException {
    ObjectNode pipeline = (ObjectNode) example("logpipeline-nginx-regex.yaml");
    edit.accept(pipeline);
    return SchemaCheck.check(crd, pipeline);
  }

  private static JsonNode example(String file) throws IOException {
    String text = Files.readString(CrdsUpToDateTest.ROOT.resolve("examples").resolve(file));
    return SERIALIZATION.convertValue(SERIALIZATION.unmarshal(text, Map.class), JsonNode.class);
  }

  private interface Visitor {
    void visit(String at, JSONSchemaProps node);
  }

  private static void walk(String at, JSONSchemaProps node, Visitor visitor) {
    visitor.visit(at, node);
    if (node.getProperties() != null) {
      node.getProperties().forEach((k, v) -> walk(at + "." + k, v, visitor));
    }
    if (node.getItems() != null && node.getItems().getSchema() != null) {
      walk(at + "[]", node.getItems().getSchema(), visitor);
    }
    if (node.getAdditionalProperties() != null
        && node.getAdditionalProperties().getSchema() != null) {
      walk(at + "{}", node.getAdditionalProperties().getSchema(), visitor);
    }
  }

  private static final Pattern MACRO =
      Pattern.compile("self\\.(\\w+)\\.(?:all|exists_one|exists|map|filter)\\((\\w+)\\s*,");

  /**
   * What a rule iterates must be bounded: for {@code self.X.all(v, ...)} (and the other
   * comprehension macros) X needs maxItems or maxProperties, and every string field read from
   * {@code v} needs maxLength or an enum. This follows how the API server's estimator sizes a
   * comprehension; fields a rule only tests with has() cost nothing and are not checked.
   */
  private static void bounds(String at, JSONSchemaProps node, List<String> unbounded) {
    for (var rule : node.getXKubernetesValidations()) {
      Matcher m = MACRO.matcher(rule.getRule());
      while (m.find()) {
        JSONSchemaProps target =
            node.getProperties() == null ? null : node.getProperties().get(m.group(1));
        String where = at + "." + m.group(1);
        if (target == null) {
          unbounded.add(where + " (iterated by a rule but not in the schema)");
          continue;
        }
        JSONSchemaProps element;
        if ("array".equals(target.getType())) {
          if (target.getMaxItems() == null) {
            unbounded.add(where + " (list without maxItems)");
          }
          element = target.getItems().getSchema();
        } else {
          if (target.getMaxProperties() == null) {
            unbounded.add(where + " (map without maxProperties)");
          }
          continue; // the variable is the key; values are not read by our rules
        }
        Matcher field = Pattern.compile("\\b" + m.group(2) + "\\.(\\w+)").matcher(rule.getRule());
        while (field.find()) {
          JSONSchemaProps f =
              element.getProperties() == null ? null : element.getProperties().get(field.group(1));
          boolean enumerated = f != null && f.getEnum() != null && !f.getEnum().isEmpty();
          if (f == null
              || ("string".equals(f.getType()) && f.getMaxLength() == null && !enumerated)) {
            unbounded.add(where + "[]." + field.group(1) + " (read by a rule, no maxLength)");
          }
        }
      }
    }
  }
}
