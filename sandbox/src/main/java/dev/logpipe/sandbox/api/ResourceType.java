package dev.logpipe.sandbox.api;

import java.util.List;
import java.util.Map;

/**
 * A kind the sandbox API serves: built in, or from a CRD in the store.
 *
 * @param schema the OpenAPI v3 schema (CRDs only), or null
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames,
    boolean statusSubresource,
    List<PrinterColumn> columns,
    Map<String, Object> schema) {

  static ResourceType builtIn(
      String group,
      String kind,
      String plural,
      boolean namespaced,
      boolean status,
      List<String> shortNames,
      List<PrinterColumn> columns) {
    String version = "v1";
    return new ResourceType(
        group,
        version,
        kind,
        plural,
        kind.toLowerCase(java.util.Locale.ROOT),
        namespaced,
        shortNames,
        status,
        columns,
        null);
  }

  public String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The OpenAPI v3 document path: {@code api/v1} or {@code apis/<group>/<version>}. */
  public String openApiPath() {
    return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
  }

  /** The component name in OpenAPI, e.g. {@code dev.logpipe.v1alpha1.LogPipeline}. */
  public String schemaName() {
    String reversed =
        group.isEmpty() ? "io.k8s.api.core" : String.join(".", reversedLabels(group.split("\\.")));
    return reversed + "." + version + "." + kind;
  }

  private static List<String> reversedLabels(String[] labels) {
    List<String> list = new java.util.ArrayList<>(List.of(labels));
    java.util.Collections.reverse(list);
    return list;
  }

  /** The path of this kind's collection in {@code namespace} (ignored when cluster-scoped). */
  public String collectionPath(String namespace) {
    String prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    return prefix + (namespaced ? "/namespaces/" + namespace : "") + "/" + plural;
  }
}
