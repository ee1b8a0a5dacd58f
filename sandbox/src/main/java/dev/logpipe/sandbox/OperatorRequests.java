package dev.logpipe.sandbox;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches the operator's client: the write requests (POST, PUT, PATCH, DELETE) it sends, except the
 * leader-election Lease renewals, since a steady pipeline should cause none ({@code
 * SandboxSteadyStateIT}; the server cannot show it by itself, because an apply that changes nothing
 * leaves the resourceVersion alone), and every request the server refused with 403 (the operator
 * runs as the chart's ServiceAccount: a permission the chart lacks shows here).
 */
public final class OperatorRequests implements Interceptor {
  private static final List<String> WRITES = List.of("POST", "PUT", "PATCH", "DELETE");
  private final List<String> writes = new CopyOnWriteArrayList<>();
  private final List<String> forbidden = new CopyOnWriteArrayList<>();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    String path = request.uri().getPath();
    if (WRITES.contains(request.method()) && !path.contains("/coordination.k8s.io/")) {
      writes.add(request.method() + " " + path);
    }
  }

  @Override
  public void after(
      HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> body) {
    if (response.code() == 403) {
      forbidden.add(request.method() + " " + request.uri());
    }
  }

  /** Every write so far, as "METHOD path", oldest first. */
  public List<String> writes() {
    return List.copyOf(writes);
  }

  /** Every request refused with 403 so far, as "METHOD uri". */
  public List<String> forbidden() {
    return List.copyOf(forbidden);
  }
}
