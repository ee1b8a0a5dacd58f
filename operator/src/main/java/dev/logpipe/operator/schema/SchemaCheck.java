package dev.logpipe.operator.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A check of a manifest against a CRD's openAPIV3Schema, as the API server would do it: types,
 * required, enum, pattern, bounds, unknown fields (which the server silently prunes, so an example
 * with a typo would "work" and mislead), then the {@code x-kubernetes-validations} CEL rules of
 * every node that passed ({@link CelRules}), reported with their messages. The operator runs it on
 * every spec it reads ({@link SpecValidation}), since nothing guarantees an API server ran it
 * (version skew, an API without validation); deploy-tests checks the chart's ClusterLogBackends.
 */
public final class SchemaCheck {
  // The CRDs' own patterns, compiled once: the operator checks every spec on every reconcile.
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private final List<String> errors = new ArrayList<>();

  /**
   * Every problem of {@code manifest} (apiVersion, kind and metadata are not checked structurally;
   * root-level CEL rules see them).
   */
  public static List<String> check(JSONSchemaProps root, JsonNode manifest) {
    SchemaCheck c = new SchemaCheck();
    c.rules("", root, manifest);
    Iterator<Map.Entry<String, JsonNode>> fields = manifest.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (!List.of("apiVersion", "kind", "metadata").contains(f.getKey())) {
        c.node(f.getKey(), root.getProperties().get(f.getKey()), f.getValue());
      }
    }
    return c.errors;
  }

  private void node(String at, JSONSchemaProps s, JsonNode v) {
    if (s == null) {
      errors.add(at + ": unknown field");
      return;
    }
    int before = errors.size();
    types(at, s, v);
    if (errors.size() == before) {
      rules(at, s, v);
    }
  }

  private void rules(String at, JSONSchemaProps s, JsonNode v) {
    if (s.getXKubernetesValidations() == null) {
      return;
    }
    for (var rule : s.getXKubernetesValidations()) {
      if (!CelRules.holds(rule.getRule(), s, v)) {
        errors.add((at.isEmpty() ? "" : at + ": ") + rule.getMessage());
      }
    }
  }

  private void types(String at, JSONSchemaProps s, JsonNode v) {
    if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
      if (!v.isIntegralNumber() && !v.isTextual()) {
        errors.add(at + ": must be an integer or a string");
      }
      return;
    }
    switch (s.getType()) {
      case "object" -> object(at, s, v);
      case "array" -> array(at, s, v);
      case "string" -> string(at, s, v);
      case "integer" -> number(at, s, v, v.isIntegralNumber());
      case "number" -> number(at, s, v, v.isNumber());
      case "boolean" -> {
        if (!v.isBoolean()) {
          errors.add(at + ": must be a boolean");
        }
      }
      default -> errors.add(at + ": schema type " + s.getType() + " not understood by this check");
    }
  }

  private void object(String at, JSONSchemaProps s, JsonNode v) {
    if (!v.isObject()) {
      errors.add(at + ": must be an object");
      return;
    }
    for (String required : s.getRequired()) {
      if (!v.has(required)) {
        errors.add(at + "." + required + ": required");
      }
    }
    Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JSONSchemaProps child =
          s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null
              ? s.getAdditionalProperties().getSchema()
              : s.getProperties().get(f.getKey());
      node(at + "." + f.getKey(), child, f.getValue());
    }
  }

  private void array(String at, JSONSchemaProps s, JsonNode v) {
    if (!v.isArray()) {
      errors.add(at + ": must be a list");
      return;
    }
    bound(at + " items", v.size(), s.getMinItems(), s.getMaxItems());
    for (int i = 0; i < v.size(); i++) {
      node(at + "[" + i + "]", s.getItems().getSchema(), v.get(i));
    }
  }

  private void string(String at, JSONSchemaProps s, JsonNode v) {
    if (!v.isTextual()) {
      errors.add(at + ": must be a string");
      return;
    }
    String text = v.asText();
    if (s.getEnum() != null
        && !s.getEnum().isEmpty()
        && s.getEnum().stream().noneMatch(e -> e.asText().equals(text))) {
      errors.add(
          at
              + ": '"
              + text
              + "' is not one of "
              + s.getEnum().stream().map(JsonNode::asText).toList());
    }
    if (s.getPattern() != null
        && !PATTERNS.computeIfAbsent(s.getPattern(), Pattern::compile).matcher(text).find()) {
      errors.add(at + ": '" + text + "' does not match " + s.getPattern());
    }
    bound(at + " length", text.length(), s.getMinLength(), s.getMaxLength());
  }

  private void number(String at, JSONSchemaProps s, JsonNode v, boolean typeOk) {
    if (!typeOk) {
      errors.add(at + ": must be a " + s.getType());
      return;
    }
    boolean below = s.getMinimum() != null && v.asDouble() < s.getMinimum();
    boolean above = s.getMaximum() != null && v.asDouble() > s.getMaximum();
    if (below || above) {
      errors.add(at + ": must be " + range(s) + ", was " + v);
    }
  }

  /** "between 1 and 1000", "at least 0": the allowed range, as a user would write it. */
  private static String range(JSONSchemaProps s) {
    String min = s.getMinimum() == null ? null : plain(s.getMinimum());
    String max = s.getMaximum() == null ? null : plain(s.getMaximum());
    if (min != null && max != null) {
      return "between " + min + " and " + max;
    }
    return min != null ? "at least " + min : "at most " + max;
  }

  private static String plain(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private void bound(String what, long n, Long min, Long max) {
    if ((min != null && n < min) || (max != null && n > max)) {
      errors.add(what + ": " + n + " is outside [" + min + ", " + max + "]");
    }
  }
}
