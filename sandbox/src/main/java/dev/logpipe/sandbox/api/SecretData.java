package dev.logpipe.sandbox.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Secret's {@code stringData} folded into base64 {@code data} on write, as the real API server
 * does (the mock stores it as sent, and readers only look at {@code data}).
 */
final class SecretData {
  private SecretData() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> normalize(Map<String, Object> object) {
    if (!"Secret".equals(object.get("kind"))
        || !(object.get("stringData") instanceof Map<?, ?> strings)) {
      return object;
    }
    Map<String, Object> result = new LinkedHashMap<>(object);
    Map<String, Object> data = new LinkedHashMap<>(JsonBodies.map(object, "data"));
    ((Map<String, Object>) strings)
        .forEach(
            (k, v) ->
                data.put(
                    k,
                    Base64.getEncoder()
                        .encodeToString(String.valueOf(v).getBytes(StandardCharsets.UTF_8))));
    result.put("data", data);
    result.remove("stringData");
    return result;
  }
}
