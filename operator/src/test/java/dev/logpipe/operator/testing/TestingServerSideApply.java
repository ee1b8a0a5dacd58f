package dev.logpipe.operator.testing;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

/**
 * Server-side apply for the fabric8 CRUD mock, which has none, behind the operator tests that run
 * on the mock ({@link TestingApplyPatchDispatcher}). (The sandbox, which used it too, now runs on a
 * real API server.)
 *
 * <p>An apply creates the object when it is absent, and otherwise is an RFC 7386 merge (objects
 * merged, arrays and scalars replaced, null removes) written back as an update at the stored
 * resourceVersion. The manager's managedFields entry is recorded (lists of named objects keyed by
 * name, other lists as one atomic field) so JOSDK's SSA matcher sees a match and does not re-apply
 * on every reconciliation, as against a real API server. An apply that changes nothing writes
 * nothing (the resourceVersion stays), as on a real server. A resourceVersion in the patch is a
 * precondition (409 when stale); a conflict with a concurrent writer is retried. Not modelled:
 * taking fields away from a manager, so fields a manager stops sending are kept instead of removed.
 */
public final class TestingServerSideApply {
  private static final int ATTEMPTS = 10;
  private final Dispatcher store;
  private final UnaryOperator<Map<String, Object>> beforeWrite;
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final LongAdder received = new LongAdder();
  private final LongAdder written = new LongAdder();

  public TestingServerSideApply(Dispatcher store) {
    this(store, UnaryOperator.identity());
  }

  /**
   * @param store the CRUD mock's dispatcher
   * @param beforeWrite applied to every object before it is written (the sandbox folds a Secret's
   *     stringData into data there)
   */
  public TestingServerSideApply(Dispatcher store, UnaryOperator<Map<String, Object>> beforeWrite) {
    this.store = store;
    this.beforeWrite = beforeWrite;
  }

  /** Apply requests received so far. */
  public long received() {
    return received.sum();
  }

  /** Apply requests that created or changed an object. */
  public long written() {
    return written.sum();
  }

  /**
   * Applies {@code patch} to the object at {@code path} ({@code .../<plural>/<name>} or {@code
   * .../<name>/status}, with the request's query: {@code fieldManager} names the manager). Answers
   * as the store does: 201 created, 200 with the object, 404 for the status of an absent object,
   * 409 for a stale resourceVersion precondition.
   */
  // One apply at a time: its read-merge-write must not interleave with another apply.
  public synchronized MockResponse apply(String path, Map<String, Object> patch) {
    received.increment();
    int query = path.indexOf('?');
    String base = query < 0 ? path : path.substring(0, query);
    boolean status = base.endsWith("/status");
    String object = status ? base.substring(0, base.length() - "/status".length()) : base;
    String manager = queryParameter(path, "fieldManager");
    MockResponse last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      MockResponse current = store.dispatch(request(HttpMethod.GET, object, null));
      if (current.code() == 404) {
        if (status) {
          return current;
        }
        Map<String, Object> created = new LinkedHashMap<>(patch);
        recordManager(created, manager, patch, false);
        written.increment();
        return store.dispatch(
            request(HttpMethod.POST, object.substring(0, object.lastIndexOf('/')), write(created)));
      }
      Map<String, Object> existing = read(current);
      String stored = resourceVersion(existing);
      String precondition = resourceVersion(patch);
      if (precondition != null && !precondition.equals(stored)) {
        return conflict();
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> merged = (Map<String, Object>) merge(existing, patch);
      recordManager(merged, manager, patch, status);
      merged = beforeWrite.apply(merged);
      metadata(merged).put("resourceVersion", stored);
      if (merged.equals(existing)) {
        return new MockResponse()
            .setResponseCode(200)
            .setHeader("Content-Type", "application/json")
            .setBody(serialization.asJson(existing));
      }
      last = store.dispatch(request(HttpMethod.PUT, base, merged));
      if (last.code() != 409) {
        written.increment();
        return last;
      }
    }
    return last;
  }

  private Map<String, Object> write(Map<String, Object> object) {
    return beforeWrite.apply(object);
  }

  /** Replaces {@code manager}'s Apply entry (per subresource) with the fields of {@code patch}. */
  @SuppressWarnings("unchecked")
  private static void recordManager(
      Map<String, Object> target, String manager, Map<String, Object> patch, boolean status) {
    if (manager == null) {
      return;
    }
    Map<String, Object> metadata = metadata(target);
    List<Map<String, Object>> entries = new ArrayList<>();
    String subresource = status ? "status" : null;
    int at = -1;
    if (metadata.get("managedFields") instanceof List<?> list) {
      for (Object e : list) {
        Map<String, Object> entry = (Map<String, Object>) e;
        if (manager.equals(entry.get("manager"))
            && Objects.equals(subresource, entry.get("subresource"))) {
          at = entries.size();
        } else {
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
    // In the old entry's place, so that re-applying the same fields changes nothing.
    entries.add(at < 0 ? entries.size() : at, entry);
    metadata.put("managedFields", entries);
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

  /** RFC 7386 merge patch: objects merge, arrays and scalars are replaced, null removes. */
  @SuppressWarnings("unchecked")
  public static Object merge(Object target, Object patch) {
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

  /** The object's metadata as a mutable copy put back in place. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Map<String, Object> object) {
    Map<String, Object> copy =
        object.get("metadata") instanceof Map<?, ?> m
            ? new LinkedHashMap<>((Map<String, Object>) m)
            : new LinkedHashMap<>();
    object.put("metadata", copy);
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static String resourceVersion(Map<String, Object> object) {
    Object metadata = object.get("metadata");
    Object version = metadata instanceof Map<?, ?> m ? m.get("resourceVersion") : null;
    return version == null ? null : version.toString();
  }

  private static String queryParameter(String path, String name) {
    int query = path.indexOf('?');
    if (query < 0) {
      return null;
    }
    for (String pair : path.substring(query + 1).split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv[0].equals(name) && kv.length == 2) {
        return URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static MockResponse conflict() {
    return new MockResponse()
        .setResponseCode(409)
        .setHeader("Content-Type", "application/json")
        .setBody(
            "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Conflict\","
                + "\"code\":409,\"message\":\"the object has been modified; please apply your"
                + " changes to the latest version and try again\"}");
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> read(MockResponse response) {
    // Not Buffer.readUtf8(): it empties the buffer, and a caller may read the body again.
    return serialization.unmarshal(
        new String(response.getBody().getBytes(), StandardCharsets.UTF_8), Map.class);
  }

  private RecordedRequest request(HttpMethod method, String path, Object body) {
    Headers headers = Headers.builder().add("Content-Type", "application/json").build();
    Buffer buffer = new Buffer();
    if (body != null) {
      buffer.writeUtf8(serialization.asJson(body));
    }
    return new RecordedRequest("HTTP/1.1", method, path, headers, buffer);
  }
}
