package dev.logpipe.deploy.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Structural-schema defaulting as the API server does it on create and on every write: a property
 * with a {@code default} that is absent from an object that is present gets the default; objects
 * that are absent stay absent (their children's defaults do not apply).
 */
final class CrdDefaulter {
  private CrdDefaulter() {}

  static JsonNode apply(JsonNode schema, JsonNode value) {
    JsonNode copy = value.deepCopy();
    fill(schema, copy);
    return copy;
  }

  private static void fill(JsonNode schema, JsonNode value) {
    if (value instanceof ObjectNode object) {
      JsonNode properties = schema.path("properties");
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> p = it.next();
        if (!object.has(p.getKey()) && p.getValue().has("default")) {
          object.set(p.getKey(), p.getValue().get("default").deepCopy());
        }
        if (object.has(p.getKey())) {
          fill(p.getValue(), object.get(p.getKey()));
        }
      }
      JsonNode additional = schema.path("additionalProperties");
      if (additional.isObject()) {
        object.fields().forEachRemaining(e -> fill(additional, e.getValue()));
      }
    } else if (value instanceof ArrayNode array) {
      array.forEach(item -> fill(schema.path("items"), item));
    }
  }
}
