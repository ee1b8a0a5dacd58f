package dev.logpipe.sandbox.api;

import static dev.logpipe.sandbox.api.DiscoveryDocuments.ordered;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OpenAPI v3, one document per group/version as the real server publishes it. CRD schemas are
 * published as they are (so {@code kubectl explain} works); built-in kinds get an open schema.
 * Every kind's PATCH operation lists {@code fieldValidation}, which tells kubectl to leave
 * validation to the server instead of downloading OpenAPI v2 for client-side checks. The sandbox
 * accepts the parameter and validates nothing (see README).
 */
final class OpenApiDocuments {
  private final ResourceCatalog catalog;

  OpenApiDocuments(ResourceCatalog catalog) {
    this.catalog = catalog;
  }

  /** The document for {@code path} (no query), or null when it is not an OpenAPI v3 path. */
  Map<String, Object> answer(String path) {
    if (path.equals("/openapi/v3") || path.equals("/openapi/v3/")) {
      return root();
    }
    if (path.startsWith("/openapi/v3/")) {
      return document(path.substring("/openapi/v3/".length()));
    }
    return null;
  }

  private Map<String, Object> root() {
    Map<String, Object> paths = new TreeMap<>();
    for (ResourceType t : catalog.all()) {
      paths.computeIfAbsent(
          t.openApiPath(),
          p ->
              Map.of(
                  "serverRelativeURL",
                  "/openapi/v3/" + p + "?hash=" + hash(JsonBodies.write(document(p)))));
    }
    return ordered("paths", paths);
  }

  private Map<String, Object> document(String groupVersionPath) {
    List<ResourceType> types =
        catalog.all().stream().filter(t -> t.openApiPath().equals(groupVersionPath)).toList();
    if (types.isEmpty()) {
      return null;
    }
    Map<String, Object> schemas = new TreeMap<>();
    Map<String, Object> paths = new TreeMap<>();
    for (ResourceType t : types) {
      schemas.put(t.schemaName(), schema(t));
      String prefix = "/" + groupVersionPath;
      String item =
          prefix + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural() + "/{name}";
      paths.put(item, ordered("patch", patchOperation(t)));
    }
    return ordered(
        "openapi",
        "3.0.0",
        "info",
        ordered("title", "Kubernetes (logpipe sandbox)", "version", DiscoveryDocuments.VERSION),
        "paths",
        paths,
        "components",
        ordered("schemas", schemas));
  }

  private static Map<String, Object> gvk(ResourceType t) {
    return ordered("group", t.group(), "kind", t.kind(), "version", t.version());
  }

  private static Map<String, Object> schema(ResourceType t) {
    Map<String, Object> schema =
        t.schema() == null || t.schema().isEmpty()
            ? ordered(
                "description",
                t.kind() + " (the sandbox publishes no schema for built-in kinds)",
                "type",
                "object",
                "x-kubernetes-preserve-unknown-fields",
                true)
            : new LinkedHashMap<>(t.schema());
    schema.put("x-kubernetes-group-version-kind", List.of(gvk(t)));
    return schema;
  }

  private static Map<String, Object> patchOperation(ResourceType t) {
    Map<String, Object> body = ordered("schema", ordered("type", "object"));
    // No strategic-merge-patch here: for built-ins kubectl then computes that patch from its own
    // compiled-in types, which carry the list merge keys this open schema lacks.
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("application/json-patch+json", body);
    content.put("application/merge-patch+json", body);
    content.put("application/apply-patch+yaml", body);
    return ordered(
        "operationId",
        "patch" + t.kind(),
        "x-kubernetes-group-version-kind",
        gvk(t),
        "parameters",
        List.of(query("fieldValidation"), query("fieldManager"), query("dryRun"), query("force")),
        "requestBody",
        ordered("content", content),
        "responses",
        ordered("200", ordered("description", "OK")));
  }

  private static Map<String, Object> query(String name) {
    return ordered("name", name, "in", "query", "schema", ordered("type", "string"));
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16).toUpperCase(java.util.Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
