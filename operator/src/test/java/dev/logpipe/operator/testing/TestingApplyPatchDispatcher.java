package dev.logpipe.operator.testing;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;

/**
 * Gives the fabric8 CRUD mock the server-side apply it lacks ({@link TestingServerSideApply}, which
 * the sandbox's API uses too), so the operator runs with JOSDK's production defaults. Counts the
 * requests it serves, for benchmarks and tests.
 */
public final class TestingApplyPatchDispatcher extends Dispatcher {
  private static final String APPLY = "application/apply-patch";
  private final Dispatcher delegate;
  private final TestingServerSideApply applier;
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  public TestingApplyPatchDispatcher(Dispatcher delegate) {
    this.delegate = delegate;
    this.applier = new TestingServerSideApply(delegate);
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
    if (request.method() == HttpMethod.PATCH && isApply) {
      @SuppressWarnings("unchecked")
      Map<String, Object> patch = serialization.unmarshal(request.getUtf8Body(), Map.class);
      return applier.apply(request.getPath(), patch);
    }
    return delegate.dispatch(request);
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }
}
