package dev.logpipe.worker.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The query string of a request, checked strictly: unknown parameters, repeated single-valued
 * parameters and out-of-range values are a {@link BadRequest} naming the parameter.
 */
public final class QueryParameters {
  private final Map<String, List<String>> values;

  public QueryParameters(Map<String, List<String>> raw, Set<String> allowed) {
    this.values = new TreeMap<>();
    for (Map.Entry<String, List<String>> e : raw.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw new BadRequest(
            e.getKey(),
            "unknown parameter '" + e.getKey() + "'; allowed: " + new java.util.TreeSet<>(allowed));
      }
      values.put(e.getKey(), List.copyOf(e.getValue()));
    }
  }

  /**
   * Decodes a raw query string strictly. Javalin's own parsing drops a pair it cannot decode, so
   * {@code q=100%} or {@code level=ERROR%} silently searched without that filter and answered every
   * event (adversarial review); here a malformed percent-escape is a {@link BadRequest} naming the
   * parameter. Invalid UTF-8 in a well-formed escape decodes to U+FFFD and stays data.
   */
  public static Map<String, List<String>> parse(String rawQuery) {
    Map<String, List<String>> out = new java.util.LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String rawName = eq < 0 ? pair : pair.substring(0, eq);
      String name = decode(rawName, "query", "a parameter name");
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), name, name);
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return out;
  }

  private static String decode(String raw, String parameter, String what) {
    try {
      return java.net.URLDecoder.decode(raw, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequest(
          parameter,
          what
              + " has a malformed percent-escape in '"
              + abbreviate(raw)
              + "': '%' must be followed by two hex digits (write %25 for a literal '%')");
    }
  }

  public String single(String name) {
    List<String> list = values.get(name);
    if (list == null || list.isEmpty()) {
      return null;
    }
    if (list.size() > 1) {
      throw new BadRequest(name, name + " may be given once");
    }
    return list.get(0);
  }

  /** Repeated and comma-separated values, trimmed, empty ones dropped. */
  public List<String> many(String name, int maxCount, int maxLength) {
    List<String> out = new ArrayList<>();
    for (String v : values.getOrDefault(name, List.of())) {
      for (String part : v.split(",")) {
        String trimmed = part.strip();
        if (trimmed.isEmpty()) {
          continue;
        }
        if (trimmed.length() > maxLength) {
          throw new BadRequest(name, name + " values may be at most " + maxLength + " characters");
        }
        out.add(trimmed);
      }
    }
    if (out.size() > maxCount) {
      throw new BadRequest(name, "at most " + maxCount + " values for " + name);
    }
    return out;
  }

  public int integer(String name, int defaultValue, int min, int max) {
    String v = single(name);
    if (v == null || v.isBlank()) {
      return defaultValue;
    }
    try {
      long parsed = Long.parseLong(v.strip());
      if (parsed < min || parsed > max) {
        throw new BadRequest(name, name + " must be between " + min + " and " + max + ", was " + v);
      }
      return (int) parsed;
    } catch (NumberFormatException e) {
      throw new BadRequest(name, name + " must be a whole number, was '" + abbreviate(v) + "'");
    }
  }

  public boolean flag(String name) {
    String v = single(name);
    if (v == null) {
      return false;
    }
    return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "", "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new BadRequest(name, name + " must be true or false");
    };
  }

  /**
   * A canonical form (sorted names, values in order) for cache keys. Every name and value is
   * written with its length first, so no value can spell a separator: {@code q="a&service=b"} and
   * {@code q=a&service=b} (or one value {@code "a\0b"} and the two values a, b) are different keys,
   * and one request cannot plant its answer under another query's key.
   */
  public String canonical() {
    StringBuilder sb = new StringBuilder();
    values.forEach(
        (k, v) -> {
          counted(sb, k).append(v.size()).append('[');
          v.forEach(value -> counted(sb, value));
          sb.append(']');
        });
    return sb.toString();
  }

  private static StringBuilder counted(StringBuilder sb, String text) {
    return sb.append(text.length()).append(':').append(text);
  }

  static String abbreviate(String v) {
    return v.length() <= 40 ? v : v.substring(0, 40) + "…";
  }
}
