package dev.logpipe.operator.testing;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gives the fabric8 CRUD mock the server-side apply it lacks, so the operator runs with JOSDK's
 * production defaults: an apply patch becomes a create when the object is absent, and otherwise an
 * RFC 7386 merge (objects merged, arrays and scalars replaced, null removes) written back as an
 * update at the stored resourceVersion. Not modelled: field ownership (managedFields), so fields
 * the operator stops sending are kept instead of removed.
 */
public final class TestingApplyPatchDispatcher extends Dispatcher {
  private static final String APPLY = "application/apply-patch";
  private final Dispatcher delegate;
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  public TestingApplyPatchDispatcher(Dispatcher delegate) {
    this.delegate = delegate;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String type = request.getHeader("Content-Type");
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
    MockResponse current = delegate.dispatch(request(HttpMethod.GET, object, null));
    if (current.code() == 404) {
      if (status) {
        return current;
      }
      String collection = object.substring(0, object.lastIndexOf('/'));
      return delegate.dispatch(request(HttpMethod.POST, collection, patch));
    }
    Map<String, Object> existing = serialization.unmarshal(current.getBody().readUtf8(), Map.class);
    Map<String, Object> merged = (Map<String, Object>) merge(existing, patch);
    Map<String, Object> metadata = (Map<String, Object>) merged.get("metadata");
    metadata.put(
        "resourceVersion", ((Map<String, Object>) existing.get("metadata")).get("resourceVersion"));
    return delegate.dispatch(request(HttpMethod.PUT, base, merged));
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
