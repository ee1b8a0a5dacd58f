package dev.logpipe.operator.testing;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives the fabric8 CRUD mock the server-side apply it lacks, so the operator runs with JOSDK's
 * production defaults: an apply patch becomes a create when the object is absent, and otherwise an
 * RFC 7386 merge (objects merged, arrays and scalars replaced, null removes) written back as an
 * update at the stored resourceVersion. The applier's managedFields entry is recorded (every list
 * as one atomic field) so JOSDK's SSA matcher sees a match and does not re-apply on every
 * reconciliation, as against a real API server. Not modelled: taking fields away from a manager, so
 * fields the operator stops sending are kept instead of removed.
 */
public final class TestingApplyPatchDispatcher extends Dispatcher {
  private static final String APPLY = "application/apply-patch";
  private final Dispatcher delegate;
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  public TestingApplyPatchDispatcher(Dispatcher delegate) {
    this.delegate = delegate;
  }

  private final Map<String, java.util.concurrent.atomic.LongAdder> requests =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Requests served so far, by "METHOD resource" (apply counted as APPLY), for benchmarks. */
  public Map<String, Long> requestCounts() {
    Map<String, Long> out = new java.util.TreeMap<>();
    requests.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String type = request.getHeader("Content-Type");
    boolean isApply = type != null && type.startsWith(APPLY);
    String[] parts = request.getPath().split("\\?")[0].split("/");
    String resource =
        parts.length > 6 && "namespaces".equals(parts[parts.length - 4])
            ? parts[parts.length - 2]
            : parts[parts.length - 1];
    if (request.getPath().split("\\?")[0].endsWith("/status")) {
      resource = parts[parts.length - 3] + "/status";
    }
    requests
        .computeIfAbsent(
            (isApply ? "APPLY" : request.getMethod()) + " " + resource,
            k -> new java.util.concurrent.atomic.LongAdder())
        .increment();
    if (request.method() == HttpMethod.PATCH && type != null && type.startsWith(APPLY)) {
      return apply(request);
    }
    return delegate.dispatch(request);
  }

  // One apply at a time: its read-merge-write must not interleave with another apply.
  @SuppressWarnings("unchecked")
  private synchronized MockResponse apply(RecordedRequest request) {
    String path = request.getPath();
    int query = path.indexOf('?');
    String base = query < 0 ? path : path.substring(0, query);
    boolean status = base.endsWith("/status");
    String object = status ? base.substring(0, base.length() - "/status".length()) : base;
    Map<String, Object> patch = serialization.unmarshal(request.getUtf8Body(), Map.class);
    String manager = queryParameter(path, "fieldManager");
    MockResponse current = delegate.dispatch(request(HttpMethod.GET, object, null));
    if (current.code() == 404) {
      if (status) {
        return current;
      }
      String collection = object.substring(0, object.lastIndexOf('/'));
      Map<String, Object> created = new LinkedHashMap<>(patch);
      recordManager(created, manager, patch, false);
      return delegate.dispatch(request(HttpMethod.POST, collection, created));
    }
    Map<String, Object> existing = serialization.unmarshal(current.getBody().readUtf8(), Map.class);
    Map<String, Object> merged = (Map<String, Object>) merge(existing, patch);
    recordManager(merged, manager, patch, status);
    Map<String, Object> metadata = (Map<String, Object>) merged.get("metadata");
    metadata.put(
        "resourceVersion", ((Map<String, Object>) existing.get("metadata")).get("resourceVersion"));
    return delegate.dispatch(request(HttpMethod.PUT, base, merged));
  }

  /** Replaces {@code manager}'s Apply entry (per subresource) with the fields of {@code patch}. */
  @SuppressWarnings("unchecked")
  private static void recordManager(
      Map<String, Object> target, String manager, Map<String, Object> patch, boolean status) {
    if (manager == null) {
      return;
    }
    Map<String, Object> metadata =
        new LinkedHashMap<>((Map<String, Object>) target.getOrDefault("metadata", Map.of()));
    List<Map<String, Object>> entries = new ArrayList<>();
    Object old = metadata.get("managedFields");
    String subresource = status ? "status" : null;
    if (old instanceof List<?> list) {
      for (Object e : list) {
        Map<String, Object> entry = (Map<String, Object>) e;
        if (!(manager.equals(entry.get("manager"))
            && java.util.Objects.equals(subresource, entry.get("subresource")))) {
          entries.add(entry);
        }
      }
    }
    Map<String, Object> fields = new LinkedHashMap<>(patch);
    fields.remove("apiVersion");
    fields.remove("kind");
    Map<String, Object> meta =
        new LinkedHashMap<>((Map<String, Object>) fields.getOrDefault("metadata", Map.of()));
    List.of("name", "namespace", "resourceVersion", "managedFields").forEach(meta::remove);
    fields.put("metadata", meta);
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("manager", manager);
    entry.put("operation", "Apply");
    entry.put("apiVersion", patch.get("apiVersion"));
    entry.put("fieldsType", "FieldsV1");
    entry.put("fieldsV1", fieldsV1(fields));
    if (subresource != null) {
      entry.put("subresource", subresource);
    }
    entries.add(entry);
    metadata.put("managedFields", entries);
    target.put("metadata", metadata);
  }

  // Objects become nested "f:" sets; lists of named objects (containers, env, volumes, ports)
  // are keyed by name ("k:{...}") as the API server does; other lists, scalars and empty objects
  // are leaves. Keying matters: the mock echoes fields (env value "") that were never applied.
  private static Map<String, Object> fieldsV1(Map<?, ?> object) {
    Map<String, Object> out = new LinkedHashMap<>();
    object.forEach((k, v) -> out.put("f:" + k, fieldsOf(v)));
    return out;
  }

  private static Map<String, Object> fieldsOf(Object value) {
    if (value instanceof Map<?, ?> m && !m.isEmpty()) {
      return fieldsV1(m);
    }
    if (value instanceof List<?> list
        && !list.isEmpty()
        && list.stream()
            .allMatch(e -> e instanceof Map<?, ?> m && m.get("name") instanceof String)) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Object e : list) {
        Map<String, Object> element = new LinkedHashMap<>();
        element.put(".", new LinkedHashMap<>());
        element.putAll(fieldsV1((Map<?, ?>) e));
        out.put("k:{\"name\":\"" + ((Map<?, ?>) e).get("name") + "\"}", element);
      }
      return out;
    }
    return new LinkedHashMap<>();
  }

  private static String queryParameter(String path, String name) {
    int query = path.indexOf('?');
    if (query < 0) {
      return null;
    }
    for (String pair : path.substring(query + 1).split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv[0].equals(name) && kv.length == 2) {
        return java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  static Object merge(Object target, Object patch) {
    if (!(patch instanceof Map<?, ?> patchMap)) {
      return patch;
    }
    Map<String, Object> result =
        target instanceof Map<?, ?> t
            ? new LinkedHashMap<>((Map<String, Object>) t)
            : new LinkedHashMap<>();
    ((Map<String, Object>) patchMap)
        .forEach(
            (key, value) -> {
              if (value == null) {
                result.remove(key);
              } else {
                result.put(key, merge(result.get(key), value));
              }
            });
    return result;
  }

  private RecordedRequest request(HttpMethod method, String path, Object body) {
    Headers headers = Headers.builder().add("Content-Type", "application/json").build();
    Buffer buffer = new Buffer();
    if (body != null) {
      buffer.writeUtf8(serialization.asJson(body));
    }
    return new RecordedRequest("HTTP/1.1", method, path, headers, buffer);
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }
}
