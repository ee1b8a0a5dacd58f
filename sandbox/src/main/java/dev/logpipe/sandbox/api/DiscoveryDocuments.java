package dev.logpipe.sandbox.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Legacy (non-aggregated) discovery, which kubectl falls back to when the answer is plain {@code
 * application/json}: {@code /version}, {@code /api}, {@code /api/v1}, {@code /apis}, {@code
 * /apis/<group>/<version>}.
 */
final class DiscoveryDocuments {
  static final String VERSION = "v1.32.0-logpipe-sandbox";
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final ResourceCatalog catalog;

  DiscoveryDocuments(ResourceCatalog catalog) {
    this.catalog = catalog;
  }

  /** The document for {@code path} (no query), or null when it is not a discovery path. */
  Map<String, Object> answer(String path, String serverAddress) {
    if (path.equals("/version")) {
      return version();
    }
    if (path.equals("/api")) {
      return ordered(
          "kind",
          "APIVersions",
          "versions",
          List.of("v1"),
          "serverAddressByClientCIDRs",
          List.of(Map.of("clientCIDR", "0.0.0.0/0", "serverAddress", serverAddress)));
    }
    if (path.equals("/apis")) {
      return groups();
    }
    String[] s = path.substring(1).split("/");
    if (s.length == 2 && s[0].equals("api")) {
      return resources("", s[1]);
    }
    if (s.length == 3 && s[0].equals("apis")) {
      return resources(s[1], s[2]);
    }
    return null;
  }

  private static Map<String, Object> version() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("major", "1");
    v.put("minor", "32");
    v.put("gitVersion", VERSION);
    v.put("gitCommit", "0000000000000000000000000000000000000000");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "2025-01-01T00:00:00Z");
    v.put("goVersion", "go1.23.0");
    v.put("compiler", "gc");
    v.put("platform", "linux/amd64");
    return v;
  }

  private Map<String, Object> groups() {
    Map<String, List<String>> versions = new TreeMap<>();
    for (ResourceType t : catalog.all()) {
      if (!t.group().isEmpty()) {
        List<String> list = versions.computeIfAbsent(t.group(), g -> new ArrayList<>());
        if (!list.contains(t.version())) {
          list.add(t.version());
        }
      }
    }
    List<Object> groups = new ArrayList<>();
    versions.forEach(
        (group, list) -> {
          list.sort(Comparator.comparing(DiscoveryDocuments::priority).reversed());
          List<Object> entries = new ArrayList<>();
          for (String v : list) {
            entries.add(ordered("groupVersion", group + "/" + v, "version", v));
          }
          groups.add(
              ordered("name", group, "versions", entries, "preferredVersion", entries.get(0)));
        });
    return ordered("kind", "APIGroupList", "apiVersion", "v1", "groups", groups);
  }

  private Map<String, Object> resources(String group, String version) {
    List<Object> resources = new ArrayList<>();
    for (ResourceType t : catalog.all()) {
      if (!t.group().equals(group) || !t.version().equals(version)) {
        continue;
      }
      Map<String, Object> r =
          ordered(
              "name", t.plural(),
              "singularName", t.singular(),
              "namespaced", t.namespaced(),
              "kind", t.kind(),
              "verbs", VERBS);
      if (!t.shortNames().isEmpty()) {
        r.put("shortNames", t.shortNames());
      }
      resources.add(r);
      if (t.statusSubresource()) {
        resources.add(
            ordered(
                "name", t.plural() + "/status",
                "singularName", "",
                "namespaced", t.namespaced(),
                "kind", t.kind(),
                "verbs", List.of("get", "patch", "update")));
      }
    }
    if (resources.isEmpty()) {
      return null;
    }
    return ordered(
        "kind",
        "APIResourceList",
        "apiVersion",
        "v1",
        "groupVersion",
        group.isEmpty() ? version : group + "/" + version,
        "resources",
        resources);
  }

  /** Kubernetes version priority: GA over beta over alpha, then higher numbers. */
  static int priority(String version) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?").matcher(version);
    if (!m.matches()) {
      return 0;
    }
    int major = Integer.parseInt(m.group(1));
    int stage = m.group(2) == null ? 3 : m.group(2).equals("beta") ? 2 : 1;
    int minor = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    return stage * 1_000_000 + major * 1_000 + minor;
  }

  static Map<String, Object> ordered(Object... keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return map;
  }
}
