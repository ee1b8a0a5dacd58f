package dev.logpipe.sandbox.api;

import dev.logpipe.operator.testing.TestingServerSideApply;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kubectl compatibility layer around fabric8's CRUD mock (pinned to fabric8 7.5.2, whose
 * behaviour it was written against): discovery, OpenAPI v3, Table output, Status bodies, content
 * negotiation, RFC 7386 merge patch, strategic merge patch (approximated) and server-side apply as
 * create-or-merge. Everything else goes to the mock unchanged. Watches come back from the mock as
 * WebSocket upgrades; {@link SandboxApiServer} streams them as chunked HTTP when asked plainly.
 */
public final class SandboxApiDispatcher extends Dispatcher {
  /**
   * The fabric8 release whose mock behaviour this layer was written and tested against; a test
   * fails when the build moves to another, so the differences in sandbox/README.md get reviewed.
   */
  public static final String WRITTEN_AGAINST_FABRIC8 = "7.5.2";

  private static final String PROTOBUF = "application/vnd.kubernetes.protobuf";
  private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

  private final Dispatcher store;
  private final ResourceCatalog catalog;
  private final DiscoveryDocuments discovery;
  private final OpenApiDocuments openApi;
  private final Clock clock;
  private final PatchApplier patches;
  private volatile String serverAddress = "127.0.0.1:0";

  public SandboxApiDispatcher(Clock clock) {
    this(new KubernetesCrudDispatcher(), clock);
  }

  SandboxApiDispatcher(Dispatcher store, Clock clock) {
    this.store = store;
    this.clock = clock;
    this.catalog = new ResourceCatalog(this::storedCrds);
    this.discovery = new DiscoveryDocuments(catalog);
    this.openApi = new OpenApiDocuments(catalog);
    this.patches = new PatchApplier(store);
  }

  /** The server-side apply behind apply patches, with its request counts. */
  public TestingServerSideApply applies() {
    return patches.serverSideApply();
  }

  void serverAddress(String hostPort) {
    this.serverAddress = hostPort;
  }

  public ResourceCatalog catalog() {
    return catalog;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    MockResponse response = route(request);
    if (response.getBody() != null
        && response.getBody().size() > 0
        && response.getHeaders().header("Content-Type") == null) {
      response.setHeader("Content-Type", "application/json");
    }
    return response;
  }

  private MockResponse route(RecordedRequest request) {
    String raw = request.getPath();
    String path = raw.contains("?") ? raw.substring(0, raw.indexOf('?')) : raw;
    String contentType = request.getHeader("Content-Type");
    if (contentType != null && contentType.startsWith(PROTOBUF) && request.getBody().size() > 0) {
      return StatusResponses.status(
          415, "UnsupportedMediaType", "the sandbox API accepts JSON bodies only, not protobuf");
    }
    if (path.startsWith("/openapi/v2") || path.startsWith("/swagger")) {
      // Not published: kubectl then validates through OpenAPI v3 and the server (fieldValidation).
      return StatusResponses.noSuchResource();
    }
    if (!acceptsJson(request.getHeader("Accept"))) {
      return StatusResponses.status(
          406, "NotAcceptable", "the sandbox API answers application/json only");
    }
    if (path.equals("/healthz") || path.equals("/readyz") || path.equals("/livez")) {
      return new MockResponse()
          .setResponseCode(200)
          .setHeader("Content-Type", "text/plain")
          .setBody("ok");
    }
    Map<String, Object> document = discovery.answer(path, serverAddress);
    if (document == null) {
      document = openApi.answer(path);
    }
    if (document != null) {
      return StatusResponses.json(200, document);
    }
    ApiPath api = ApiPath.parse(raw);
    if (api == null) {
      return StatusResponses.noSuchResource();
    }
    Optional<ResourceType> type = catalog.find(api.group(), api.version(), api.plural());
    if (type.isEmpty()) {
      return StatusResponses.noSuchResource();
    }
    return switch (request.method()) {
      case GET -> get(request, api, type.get());
      case PATCH -> patch(request, api, type.get());
      case PUT, POST -> write(request, api, type.get());
      default -> orNotFound(store.dispatch(withoutQuery(request)), api, type.get());
    };
  }

  private MockResponse write(RecordedRequest request, ApiPath api, ResourceType type) {
    // Read before the mock does: it consumes the body.
    Map<String, Object> written;
    try {
      written = SecretData.normalize(JsonBodies.read(JsonBodies.text(request.getBody())));
    } catch (IllegalArgumentException e) {
      return StatusResponses.status(400, "BadRequest", e.getMessage());
    }
    String path = withoutQuery(request).getPath();
    MockResponse response =
        store.dispatch(
            new RecordedRequest(
                request.getHttpVersion(),
                request.method(),
                path,
                request.getHeaders(),
                new Buffer().writeUtf8(JsonBodies.write(written))));
    return bodyOrElse(orNotFound(response, api, type), written);
  }

  /**
   * The mock answers an update that removed the last finalizer of a deleted object with 202 and no
   * body (the object is gone); the real server returns 200 and the object as written, which clients
   * parse.
   */
  static MockResponse bodyOrElse(MockResponse response, Map<String, Object> written) {
    boolean ok = response.code() == 200 || response.code() == 202;
    if (!ok || (response.getBody() != null && response.getBody().size() > 0)) {
      return response;
    }
    Map<String, Object> object = new LinkedHashMap<>(written);
    Map<String, Object> metadata = new LinkedHashMap<>(JsonBodies.map(object, "metadata"));
    metadata.remove("finalizers");
    object.put("metadata", metadata);
    return StatusResponses.json(200, object);
  }

  private MockResponse get(RecordedRequest request, ApiPath api, ResourceType type) {
    String selected = api.isCollection() ? api.fieldSelectedName() : null;
    if (selected != null && api.isWatch()) {
      // The mock reads fieldSelector with '=' unescaped only; a per-name watch path it does know.
      return store.dispatch(
          copy(request, HttpMethod.GET, api.withName(selected).objectPath() + "?watch=true", null));
    }
    if (api.isWatch()) {
      return store.dispatch(request);
    }
    MockResponse response;
    if (selected != null) {
      response =
          listOf(
              store.dispatch(
                  copy(request, HttpMethod.GET, api.withName(selected).objectPath(), null)));
    } else {
      response = orNotFound(store.dispatch(request), api, type);
    }
    if (response.code() == 200 && TableConverter.wanted(request.getHeader("Accept"))) {
      Map<String, Object> body = JsonBodies.read(JsonBodies.text(response.getBody()));
      return StatusResponses.json(200, TableConverter.convert(type, body, clock.instant()));
    }
    return response;
  }

  /**
   * For a watch of one object by name: a DELETED event when that object does not exist, else null.
   * The server sends it once the watch is registered with the mock. A client that lists an object
   * and then watches it for deletion (kubectl delete, kubectl wait) would otherwise miss a deletion
   * that falls between the two requests: this API cannot replay events from a resourceVersion.
   */
  public String deletedEventIfAbsent(RecordedRequest request) {
    ApiPath api = ApiPath.parse(request.getPath());
    if (api == null || !api.isWatch()) {
      return null;
    }
    String name = api.name() != null ? api.name() : api.fieldSelectedName();
    Optional<ResourceType> type = catalog.find(api.group(), api.version(), api.plural());
    if (name == null || type.isEmpty()) {
      return null;
    }
    MockResponse current =
        store.dispatch(copy(request, HttpMethod.GET, api.withName(name).objectPath(), null));
    if (current.code() != 404) {
      return null;
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    if (api.namespace() != null) {
      metadata.put("namespace", api.namespace());
    }
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", type.get().groupVersion());
    object.put("kind", type.get().kind());
    object.put("metadata", metadata);
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", "DELETED");
    event.put("object", object);
    return JsonBodies.write(event);
  }

  private static MockResponse listOf(MockResponse single) {
    List<Object> items = new ArrayList<>();
    if (single.code() == 200) {
      items.add(JsonBodies.read(JsonBodies.text(single.getBody())));
    }
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("apiVersion", "v1");
    list.put("kind", "List");
    list.put("metadata", Map.of("resourceVersion", ""));
    list.put("items", items);
    return StatusResponses.json(200, list);
  }

  private MockResponse patch(RecordedRequest request, ApiPath api, ResourceType type) {
    String contentType = String.valueOf(request.getHeader("Content-Type"));
    PatchKind kind = PatchKind.of(contentType);
    if (kind == PatchKind.JSON_PATCH) {
      MockResponse before = store.dispatch(copy(request, HttpMethod.GET, api.objectPath(), null));
      MockResponse after = orNotFound(store.dispatch(withoutQuery(request)), api, type);
      return before.code() == 200
          ? bodyOrElse(after, JsonBodies.read(JsonBodies.text(before.getBody())))
          : after;
    }
    if (kind == null) {
      return StatusResponses.status(
          415, "UnsupportedMediaType", "unsupported patch type " + contentType);
    }
    return patches.apply(request, api, type, kind);
  }

  private MockResponse orNotFound(MockResponse response, ApiPath api, ResourceType type) {
    if (response.code() == 404 && api.name() != null) {
      return StatusResponses.notFound(api, type);
    }
    return response;
  }

  private static boolean acceptsJson(String accept) {
    if (accept == null || accept.isBlank()) {
      return true;
    }
    return accept.contains("json") || accept.contains("*/*") || accept.contains("yaml");
  }

  static RecordedRequest withoutQuery(RecordedRequest request) {
    String path = request.getPath();
    int q = path.indexOf('?');
    return q < 0
        ? request
        : new RecordedRequest(
            request.getHttpVersion(),
            request.method(),
            path.substring(0, q),
            request.getHeaders(),
            request.getBody());
  }

  static RecordedRequest copy(
      RecordedRequest request, HttpMethod method, String path, Buffer body) {
    Headers headers = Headers.builder().add("Content-Type", "application/json").build();
    return new RecordedRequest(
        "HTTP/1.1", method, path, headers, body == null ? new Buffer() : body);
  }

  private String storedCrds() {
    MockResponse response =
        store.dispatch(
            new RecordedRequest(
                "HTTP/1.1", HttpMethod.GET, CRDS, Headers.builder().build(), new Buffer()));
    return response.code() == 200 && response.getBody() != null
        ? JsonBodies.text(response.getBody())
        : "{}";
  }

  @Override
  public void shutdown() {
    store.shutdown();
  }
}
