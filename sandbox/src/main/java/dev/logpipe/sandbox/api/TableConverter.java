package dev.logpipe.sandbox.api;

import static dev.logpipe.sandbox.api.DiscoveryDocuments.ordered;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code meta.k8s.io/v1} Table kubectl asks for ({@code Accept: application/json;as=Table}): a
 * Name column, then the kind's printer columns, one row per object with the object attached.
 */
final class TableConverter {
  private TableConverter() {}

  static boolean wanted(String accept) {
    return accept != null && accept.contains("as=Table");
  }

  /**
   * @param body a single object or a list, as the store answered
   */
  static Map<String, Object> convert(ResourceType type, Map<String, Object> body, Instant now) {
    List<Object> definitions = new ArrayList<>();
    definitions.add(
        ordered(
            "name", "Name",
            "type", "string",
            "format", "name",
            "description", "Name of the resource",
            "priority", 0));
    for (PrinterColumn c : type.columns()) {
      definitions.add(
          ordered(
              "name", c.name(),
              "type", c.type().equals("date") ? "string" : c.type(),
              "format", "",
              "description", c.description(),
              "priority", c.priority()));
    }
    List<Object> items =
        body.containsKey("items") ? JsonBodies.list(body, "items") : List.of((Object) body);
    List<Object> rows = new ArrayList<>();
    for (Object item : items) {
      @SuppressWarnings("unchecked")
      Map<String, Object> object = (Map<String, Object>) item;
      if (object.get("kind") == null) {
        object.put("kind", type.kind());
        object.put("apiVersion", type.groupVersion());
      }
      List<Object> cells = new ArrayList<>();
      cells.add(JsonBodies.map(object, "metadata").get("name"));
      for (PrinterColumn c : type.columns()) {
        Object value = JsonPathColumn.cell(object, c.jsonPath());
        cells.add(c.type().equals("date") && value != null ? age(value.toString(), now) : value);
      }
      rows.add(ordered("cells", cells, "object", object));
    }
    Map<String, Object> metadata = JsonBodies.map(body, "metadata");
    return ordered(
        "kind",
        "Table",
        "apiVersion",
        "meta.k8s.io/v1",
        "metadata",
        ordered("resourceVersion", String.valueOf(metadata.getOrDefault("resourceVersion", ""))),
        "columnDefinitions",
        definitions,
        "rows",
        rows);
  }

  /** As kubectl prints ages: 45s, 3m12s, 25m, 5h3m, 30h, 3d4h, 12d. */
  static String age(String timestamp, Instant now) {
    Duration d;
    try {
      d = Duration.between(Instant.parse(timestamp), now);
    } catch (DateTimeParseException e) {
      try {
        // The mock stamps deletionTimestamp-style local times without a zone; the sandbox runs UTC.
        d = Duration.between(LocalDateTime.parse(timestamp).toInstant(ZoneOffset.UTC), now);
      } catch (DateTimeParseException again) {
        return timestamp;
      }
    }
    long s = Math.max(0, d.toSeconds());
    if (s < 120) {
      return s + "s";
    }
    long m = s / 60;
    if (m < 10) {
      return m + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
    }
    if (m < 180) {
      return m + "m";
    }
    long h = m / 60;
    if (h < 8) {
      return h + "h" + (m % 60 == 0 ? "" : (m % 60) + "m");
    }
    if (h < 48) {
      return h + "h";
    }
    long days = h / 24;
    return days < 8 && h % 24 != 0 ? days + "d" + (h % 24) + "h" : days + "d";
  }
}
