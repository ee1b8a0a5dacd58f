package dev.logpipe.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The mock API server's outermost dispatcher: records what the operator asks of the API, so tests
 * can hold it against {@code OperatorPermissions}. The operator's client marks its requests with
 * {@link #CALLER_HEADER}; requests of the test itself (playing users, Strimzi and the kubelet) are
 * not the operator's and are not recorded as such.
 *
 * <p>It also records every write to a LogPipeline (by anyone) with the fields it changed, taken
 * from the stored object before and the object the server answered with. Those writes are
 * serialised here, so no other write can slip in between and be blamed on the wrong request.
 *
 * <p>And it answers SelfSubjectRulesReview, which the CRUD mock would only echo: JOSDK asks it for
 * the Lease permissions before leader election, and the answer is what the chart grants there.
 */
public final class TestingApiRecorder extends Dispatcher {
  public static final String CALLER_HEADER = "X-Logpipe-Test-Caller";
  public static final String OPERATOR = "operator";
  private static final String PIPELINES = "/logpipelines/";
  private static final Set<String> IGNORED = Set.of("metadata.resourceVersion");

  /** A write to a LogPipeline and the fields it changed ("spec.workers.replicas", ...). */
  public record PipelineWrite(String caller, ApiCall call, int code, List<String> changed) {
    public boolean byOperator() {
      return OPERATOR.equals(caller);
    }
  }

  private final Dispatcher delegate;
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final ObjectMapper json = new ObjectMapper();
  private final Map<ApiCall, LongAdder> operatorCalls = new ConcurrentHashMap<>();
  private final List<PipelineWrite> pipelineWrites = new CopyOnWriteArrayList<>();
  private volatile Function<String, List<ResourceRule>> rules = ns -> List.of();
  private final java.util.concurrent.atomic.AtomicBoolean conflictNext =
      new java.util.concurrent.atomic.AtomicBoolean();

  public TestingApiRecorder(Dispatcher delegate) {
    this.delegate = delegate;
  }

  /** What SelfSubjectRulesReview answers for a namespace (default: nothing is allowed). */
  public void rules(Function<String, List<ResourceRule>> rules) {
    this.rules = rules;
  }

  /** Every distinct call the operator made, with how often. */
  public Map<ApiCall, Long> operatorCalls() {
    Map<ApiCall, Long> out = new java.util.LinkedHashMap<>();
    operatorCalls.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(ApiCall::toString)))
        .forEach(e -> out.put(e.getKey(), e.getValue().sum()));
    return out;
  }

  public List<PipelineWrite> pipelineWrites() {
    return List.copyOf(pipelineWrites);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    String base = path.split("\\?")[0];
    if (request.method() == HttpMethod.POST
        && base.endsWith("/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
      record(request, path, false);
      return rulesReview(request);
    }
    boolean write =
        request.method() != HttpMethod.GET
            && base.contains(PIPELINES)
            && base.substring(base.indexOf(PIPELINES) + PIPELINES.length()).length() > 0;
    if (!write) {
      MockResponse response = delegate.dispatch(request);
      record(request, path, response.code() == 201 && request.method() == HttpMethod.PATCH);
      return response;
    }
    synchronized (this) {
      String object = base.endsWith("/status") ? base.substring(0, base.length() - 7) : base;
      JsonNode before = read(delegate.dispatch(get(object)));
      String body = request.getUtf8Body();
      String caller = request.getHeader(CALLER_HEADER);
      if (OPERATOR.equals(caller)
          && object.equals(base)
          && conflictNext.compareAndSet(true, false)) {
        record(request, path, false)
            .forEach(c -> pipelineWrites.add(new PipelineWrite(caller, c, 409, List.of())));
        return conflict();
      }
      MockResponse response = delegate.dispatch(copy(request, body));
      JsonNode after = null;
      if (response.getBody() != null && response.code() / 100 == 2) {
        String answer = response.getBody().readUtf8();
        response.setBody(answer);
        after = parse(answer);
      }
      List<ApiCall> calls =
          record(request, path, response.code() == 201 && request.method() == HttpMethod.PATCH);
      List<String> changed = new ArrayList<>();
      if (response.code() / 100 != 2) {
        // refused: nothing changed
      } else if (before == null) {
        changed.add("(created)");
      } else if (after != null && "LogPipeline".equals(after.path("kind").asText())) {
        diff("", before, after, changed);
      } else {
        // The server answered with a Status: the write removed the last finalizer of an object
        // being deleted, so the object is gone. What changed is what the request asked for.
        changed.addAll(requested(request, body, before));
      }
      for (ApiCall call : calls) {
        pipelineWrites.add(new PipelineWrite(caller, call, response.code(), List.copyOf(changed)));
      }
      return response;
    }
  }

  /**
   * The operator's next write to a LogPipeline (not its status) is answered 409 Conflict, as when
   * someone else changed the object first; the write after it goes through.
   */
  public void conflictOnNextWrite() {
    conflictNext.set(true);
  }

  private static MockResponse conflict() {
    return new MockResponse()
        .setResponseCode(409)
        .setBody(
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                + "\"reason\":\"Conflict\",\"code\":409,\"message\":\"Operation cannot be"
                + " fulfilled: the object has been modified; please apply your changes to the"
                + " latest version and try again\"}");
  }

  /** The fields a write asks to change: JSON patch paths, merge/apply leaves, PUT differences. */
  private List<String> requested(RecordedRequest request, String body, JsonNode before) {
    String type = String.valueOf(request.getHeader("Content-Type"));
    JsonNode asked = parse(body);
    List<String> out = new ArrayList<>();
    if (type.startsWith("application/json-patch+json")) {
      for (JsonNode op : asked) {
        if (!"test".equals(op.path("op").asText())) {
          String dotted =
              op.path("path")
                  .asText()
                  .substring(1)
                  .replace('/', '.')
                  .replace("~1", "/")
                  .replace("~0", "~");
          out.add(dotted.replaceAll("\\.\\d+(?=\\.|$)", ""));
        }
      }
    } else if (request.method() == HttpMethod.PUT) {
      diff("", before, asked, out);
    } else {
      diff("", json.createObjectNode(), asked, out);
      out.removeAll(List.of("apiVersion", "kind", "metadata.name", "metadata.namespace"));
    }
    // A resourceVersion in a write is a precondition (optimistic locking), not a change.
    out.remove("metadata.resourceVersion");
    return out;
  }

  private static RecordedRequest copy(RecordedRequest request, String body) {
    Buffer buffer = new Buffer();
    if (body != null) {
      buffer.writeUtf8(body);
    }
    return new RecordedRequest(
        request.getHttpVersion(),
        request.method(),
        request.getPath(),
        request.getHeaders(),
        buffer);
  }

  private List<ApiCall> record(RecordedRequest request, String path, boolean created) {
    List<ApiCall> calls = ApiCall.of(request.getMethod(), path, created);
    if (OPERATOR.equals(request.getHeader(CALLER_HEADER))) {
      calls.forEach(c -> operatorCalls.computeIfAbsent(c, k -> new LongAdder()).increment());
    }
    return calls;
  }

  private MockResponse rulesReview(RecordedRequest request) {
    SelfSubjectRulesReview review =
        serialization.unmarshal(request.getUtf8Body(), SelfSubjectRulesReview.class);
    review.setStatus(
        new SubjectRulesReviewStatusBuilder()
            .withResourceRules(rules.apply(review.getSpec().getNamespace()))
            .withIncomplete(false)
            .build());
    return new MockResponse().setResponseCode(201).setBody(serialization.asJson(review));
  }

  /** Leaf paths whose values differ; arrays count as one value. */
  private static void diff(String at, JsonNode a, JsonNode b, List<String> out) {
    if (a != null && b != null && a.isObject() && b.isObject()) {
      Set<String> keys = new java.util.TreeSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        diff(at.isEmpty() ? key : at + "." + key, a.get(key), b.get(key), out);
      }
    } else if (!java.util.Objects.equals(a, b) && !IGNORED.contains(at)) {
      out.add(at);
    }
  }

  private JsonNode read(MockResponse response) {
    if (response.code() != 200 || response.getBody() == null) {
      return null;
    }
    return parse(response.getBody().readUtf8());
  }

  private JsonNode parse(String body) {
    try {
      JsonNode node = json.readTree(body);
      // managedFields is the server's bookkeeping of who applied what, not a field anyone sets.
      if (node != null && node.path("metadata").isObject()) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) node.get("metadata"))
            .remove("managedFields");
      }
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RecordedRequest get(String path) {
    Headers headers = Headers.builder().add("Accept", "application/json").build();
    return new RecordedRequest("HTTP/1.1", HttpMethod.GET, path, headers, new Buffer());
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }
}
