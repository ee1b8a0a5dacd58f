package dev.logpipe.sandbox.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes REST path taken apart: {@code /api/v1/namespaces/ns/pods/name/status?watch=true}.
 * Only resource paths parse; discovery and OpenAPI paths are answered before this is needed.
 *
 * @param group empty for the core group
 * @param namespace null for cluster-scoped requests and for the namespaces resource itself
 * @param name null for collections
 * @param subresource e.g. status; null for the object itself
 * @param query decoded query parameters (the last value wins)
 */
public record ApiPath(
    String group,
    String version,
    String namespace,
    String plural,
    String name,
    String subresource,
    Map<String, String> query) {

  /** Parses a request path, or returns null when it is not a resource path. */
  public static ApiPath parse(String raw) {
    int q = raw.indexOf('?');
    String path = q < 0 ? raw : raw.substring(0, q);
    Map<String, String> query = q < 0 ? Map.of() : query(raw.substring(q + 1));
    List<String> s = Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toList();
    int i;
    String group;
    String version;
    if (s.size() >= 3 && s.get(0).equals("api")) {
      group = "";
      version = s.get(1);
      i = 2;
    } else if (s.size() >= 4 && s.get(0).equals("apis")) {
      group = s.get(1);
      version = s.get(2);
      i = 3;
    } else {
      return null;
    }
    List<String> rest = s.subList(i, s.size());
    String namespace = null;
    // namespaces/<ns>/<plural>/... is namespaced; namespaces/<name>[/status] is the Namespace.
    if (rest.size() >= 3 && rest.get(0).equals("namespaces") && !isSubresource(rest.get(2))) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    if (rest.isEmpty() || rest.size() > 3) {
      return null;
    }
    return new ApiPath(
        group,
        version,
        namespace,
        rest.get(0),
        rest.size() > 1 ? rest.get(1) : null,
        rest.size() > 2 ? rest.get(2) : null,
        query);
  }

  private static boolean isSubresource(String segment) {
    return segment.equals("status") || segment.equals("finalize");
  }

  static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      query.put(decode(key), decode(value));
    }
    return query;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  public boolean isCollection() {
    return name == null;
  }

  public boolean isWatch() {
    String watch = query.get("watch");
    return "true".equals(watch) || "1".equals(watch);
  }

  /** The path of the object or collection, without subresource and query. */
  public String objectPath() {
    StringBuilder b = new StringBuilder(group.isEmpty() ? "/api/" : "/apis/" + group + "/");
    b.append(version);
    if (namespace != null) {
      b.append("/namespaces/").append(namespace);
    }
    b.append('/').append(plural);
    if (name != null) {
      b.append('/').append(name);
    }
    return b.toString();
  }

  public String collectionPath() {
    return new ApiPath(group, version, namespace, plural, null, null, query).objectPath();
  }

  public ApiPath withName(String newName) {
    return new ApiPath(group, version, namespace, plural, newName, null, query);
  }

  /** The object's name when the request selects it with {@code fieldSelector=metadata.name=X}. */
  public String fieldSelectedName() {
    String selector = query.get("fieldSelector");
    if (selector == null || !selector.startsWith("metadata.name=") || selector.contains(",")) {
      return null;
    }
    return selector.substring("metadata.name=".length());
  }
}
