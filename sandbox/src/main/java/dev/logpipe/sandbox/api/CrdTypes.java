package dev.logpipe.sandbox.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The resource types a CustomResourceDefinition (apiextensions.k8s.io/v1, as JSON) serves. */
final class CrdTypes {
  private CrdTypes() {}

  static List<ResourceType> of(Map<String, Object> crd) {
    Map<String, Object> spec = JsonBodies.map(crd, "spec");
    Map<String, Object> names = JsonBodies.map(spec, "names");
    List<ResourceType> types = new ArrayList<>();
    for (Object v : JsonBodies.list(spec, "versions")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> version = (Map<String, Object>) v;
      if (Boolean.FALSE.equals(version.get("served"))) {
        continue;
      }
      List<PrinterColumn> columns = new ArrayList<>();
      for (Object c : JsonBodies.list(version, "additionalPrinterColumns")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> column = (Map<String, Object>) c;
        columns.add(
            new PrinterColumn(
                JsonBodies.string(column, "name"),
                JsonBodies.string(column, "type"),
                JsonBodies.string(column, "jsonPath"),
                column.get("priority") instanceof Number n ? n.intValue() : 0,
                String.valueOf(column.getOrDefault("description", ""))));
      }
      if (columns.isEmpty()) {
        columns.add(new PrinterColumn("Age", "date", ".metadata.creationTimestamp", 0, ""));
      }
      types.add(
          new ResourceType(
              JsonBodies.string(spec, "group"),
              JsonBodies.string(version, "name"),
              JsonBodies.string(names, "kind"),
              JsonBodies.string(names, "plural"),
              String.valueOf(
                  names.getOrDefault(
                      "singular",
                      JsonBodies.string(names, "kind").toLowerCase(java.util.Locale.ROOT))),
              "Namespaced".equals(spec.get("scope")),
              JsonBodies.list(names, "shortNames").stream().map(Object::toString).toList(),
              JsonBodies.map(version, "subresources").containsKey("status"),
              columns,
              JsonBodies.map(version, "schema", "openAPIV3Schema")));
    }
    return types;
  }
}
