package dev.logpipe.sandbox;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records the write requests (POST, PUT, PATCH, DELETE) the operator's client sends, except the
 * leader-election Lease renewals: a steady pipeline should cause none ({@code
 * SandboxSteadyStateIT}), which the real server cannot show by itself because an apply that changes
 * nothing leaves the resourceVersion alone.
 */
public final class OperatorWrites implements Interceptor {
  private static final List<String> WRITES = List.of("POST", "PUT", "PATCH", "DELETE");
  private final List<String> writes = new CopyOnWriteArrayList<>();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    String path = request.uri().getPath();
    if (WRITES.contains(request.method()) && !path.contains("/coordination.k8s.io/")) {
      writes.add(request.method() + " " + path);
    }
  }

  /** Every write so far, as "METHOD path", oldest first. */
  public List<String> all() {
    return List.copyOf(writes);
  }
}
