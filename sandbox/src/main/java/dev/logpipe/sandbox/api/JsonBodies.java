package dev.logpipe.sandbox.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import java.util.Map;

/** Request and response bodies as plain maps: the layer never needs typed Kubernetes models. */
public final class JsonBodies {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private JsonBodies() {}

  public static Map<String, Object> read(String json) {
    try {
      return MAPPER.readValue(json, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("body is not a JSON object: " + e.getOriginalMessage(), e);
    }
  }

  /** Apply patches may be YAML (kubectl --server-side); JSON is YAML too. */
  public static Map<String, Object> readYaml(String yaml) {
    try {
      return YAML.readValue(yaml, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("body is not a YAML object: " + e.getOriginalMessage(), e);
    }
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass(), e);
    }
  }

  /**
   * The text of a mock body without consuming it: the mock's Buffer.readUtf8() empties the buffer,
   * and bodies here are read more than once (by this layer, then by the mock).
   */
  public static String text(io.fabric8.mockwebserver.http.Buffer body) {
    return body == null ? "" : new String(body.getBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The map at {@code keys} inside {@code root}, or an empty map. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Map<String, Object> root, String... keys) {
    Object current = root;
    for (String key : keys) {
      if (!(current instanceof Map<?, ?> m)) {
        return Map.of();
      }
      current = m.get(key);
    }
    return current instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  public static List<Object> list(Map<String, Object> root, String key) {
    Object value = root.get(key);
    return value instanceof List<?> l ? (List<Object>) l : List.of();
  }

  public static String string(Map<String, Object> root, String key) {
    Object value = root.get(key);
    return value == null ? null : value.toString();
  }
}
