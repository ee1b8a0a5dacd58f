package dev.logpipe.deploy.docs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logpipe.deploy.Repo;
import dev.logpipe.deploy.Yaml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes docs/crd-reference.md from the generated CRD YAML: one table per kind and part (spec,
 * status), a row per field with its type, default, constraints and description (the Javadoc of the
 * api types, via the CRD generator).
 */
final class CrdReference {
  static final List<String> CRDS =
      List.of("logpipelines.logpipe.dev.yaml", "clusterlogbackends.logpipe.dev.yaml");

  private CrdReference() {}

  static String generate(Path crdDir) {
    StringBuilder md = new StringBuilder();
    md.append("# CRD field reference\n\n")
        .append(
            "Generated from `crds/` by `deploy-tests` (`DocsTest`, from `CrdReference`); do not edit.\n")
        .append("Refresh with `mvn -pl deploy-tests test -Ddocs.update=true`. The same text is\n")
        .append("what `kubectl explain logpipeline.spec` shows.\n");
    for (String file : CRDS) {
      JsonNode crd = Yaml.one(Repo.read(crdDir.resolve(file)));
      JsonNode spec = crd.path("spec");
      JsonNode version = spec.path("versions").get(0);
      String kind = spec.path("names").path("kind").asText();
      md.append("\n## ").append(kind).append("\n\n");
      md.append("`")
          .append(spec.path("group").asText())
          .append('/')
          .append(version.path("name").asText())
          .append("`, ")
          .append(spec.path("scope").asText().equals("Cluster") ? "cluster-scoped" : "namespaced");
      if (spec.path("names").has("shortNames")) {
        md.append(", short name `")
            .append(spec.path("names").path("shortNames").get(0).asText())
            .append('`');
      }
      md.append(".\n");
      JsonNode root = version.path("schema").path("openAPIV3Schema");
      for (String part : List.of("spec", "status")) {
        JsonNode schema = root.path("properties").path(part);
        md.append("\n### ").append(kind).append(' ').append(part).append("\n\n");
        md.append("| field | type | default | constraints | description |\n");
        md.append("|---|---|---|---|---|\n");
        List<String> rows = new ArrayList<>();
        walk(part, schema, rows);
        rows.forEach(md::append);
      }
      for (JsonNode rule : root.path("x-kubernetes-validations")) {
        md.append("\nAlso enforced: ").append(rule.path("message").asText()).append(".\n");
      }
    }
    return md.toString();
  }

  private static void walk(String path, JsonNode schema, List<String> rows) {
    Set<String> required = new HashSet<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            e -> {
              String field = path + "." + e.getKey();
              JsonNode p = e.getValue();
              rows.add(row(field, p, required.contains(e.getKey())));
              if (p.has("properties")) {
                walk(field, p, rows);
              } else if (p.path("items").has("properties")) {
                walk(field + "[]", p.path("items"), rows);
              }
            });
  }

  private static String row(String field, JsonNode p, boolean required) {
    List<String> constraints = new ArrayList<>();
    if (required) {
      constraints.add("required");
    }
    if (p.has("enum")) {
      List<String> values = new ArrayList<>();
      p.path("enum").forEach(v -> values.add(v.asText()));
      constraints.add("one of " + String.join(", ", values));
    }
    bound(p, "minimum", "≥ ", constraints);
    bound(p, "maximum", "≤ ", constraints);
    bound(p, "minLength", "length ≥ ", constraints);
    bound(p, "maxLength", "length ≤ ", constraints);
    bound(p, "minItems", "items ≥ ", constraints);
    bound(p, "maxItems", "items ≤ ", constraints);
    if (p.has("pattern")) {
      constraints.add("pattern `" + p.path("pattern").asText() + "`");
    }
    p.path("x-kubernetes-validations").forEach(v -> constraints.add(v.path("message").asText()));
    String def = p.has("default") ? "`" + p.path("default").toString().replace("\"", "") + "`" : "";
    return "| `"
        + field
        + "` | "
        + type(p)
        + " | "
        + def
        + " | "
        + cell(String.join("; ", constraints))
        + " | "
        + cell(p.path("description").asText())
        + " |\n";
  }

  private static String type(JsonNode p) {
    String type = p.path("type").asText();
    if (type.equals("array")) {
      return "array of " + type(p.path("items"));
    }
    if (type.equals("object") && p.has("additionalProperties")) {
      return "map of " + type(p.path("additionalProperties"));
    }
    if (type.isEmpty() && p.path("x-kubernetes-int-or-string").asBoolean()) {
      return "int or string";
    }
    return type;
  }

  private static void bound(JsonNode p, String key, String prefix, List<String> out) {
    if (p.has(key)) {
      JsonNode v = p.path(key);
      out.add(
          prefix
              + (v.isNumber()
                      && v.asDouble() == Math.rint(v.asDouble())
                      && Math.abs(v.asDouble()) < 1e15
                  ? String.valueOf(v.asLong())
                  : v.asText()));
    }
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
