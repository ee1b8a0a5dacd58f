package dev.logpipe.sandbox.api;

import dev.logpipe.operator.testing.TestingServerSideApply;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Merge, strategic and apply patches against the mock. Merge and strategic patches are
 * read-merge-write: the merged object is written back with PUT at the resourceVersion it was read
 * at, and a conflict with a concurrent writer is retried, as the real server does for patches
 * without a resourceVersion precondition. Server-side apply is the operator tests' own {@link
 * TestingServerSideApply} (create-or-merge with managedFields, no write when nothing changed), so
 * the operator in the sandbox sees what it sees under test; this class only adds what kubectl needs
 * around it (YAML bodies, defaults for a create, Status bodies).
 */
final class PatchApplier {
  private static final int ATTEMPTS = 10;
  private final Dispatcher store;
  private final TestingServerSideApply serverSideApply;

  PatchApplier(Dispatcher store) {
    this.store = store;
    this.serverSideApply = new TestingServerSideApply(store, SecretData::normalize);
  }

  /** Apply requests received and written so far. */
  TestingServerSideApply serverSideApply() {
    return serverSideApply;
  }

  MockResponse apply(RecordedRequest request, ApiPath api, ResourceType type, PatchKind kind) {
    Map<String, Object> patch;
    try {
      patch =
          kind == PatchKind.APPLY
              ? JsonBodies.readYaml(JsonBodies.text(request.getBody()))
              : JsonBodies.read(JsonBodies.text(request.getBody()));
    } catch (IllegalArgumentException e) {
      return StatusResponses.status(400, "BadRequest", e.getMessage());
    }
    if (api.name() == null) {
      return StatusResponses.status(405, "MethodNotAllowed", "patch needs an object name");
    }
    boolean status = "status".equals(api.subresource());
    if (kind == PatchKind.APPLY) {
      Map<String, Object> object = forCreate(patch, api, type);
      MockResponse applied = serverSideApply.apply(request.getPath(), object);
      if (applied.code() == 404) {
        return StatusResponses.notFound(api, type);
      }
      if (applied.code() == 409) {
        return StatusResponses.status(409, "Conflict", conflictMessage());
      }
      return SandboxApiDispatcher.bodyOrElse(applied, object);
    }
    String object = api.objectPath();
    MockResponse last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      MockResponse current =
          store.dispatch(SandboxApiDispatcher.copy(request, HttpMethod.GET, object, null));
      if (current.code() == 404) {
        return StatusResponses.notFound(api, type);
      }
      Map<String, Object> existing = JsonBodies.read(JsonBodies.text(current.getBody()));
      String precondition = resourceVersion(patch);
      String stored = resourceVersion(existing);
      if (precondition != null && !Objects.equals(precondition, stored)) {
        return StatusResponses.status(409, "Conflict", conflictMessage());
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> merged =
          (Map<String, Object>)
              (kind == PatchKind.STRATEGIC
                  ? MergePatches.strategic(existing, patch)
                  : MergePatches.json(existing, patch));
      metadata(merged).put("resourceVersion", stored);
      merged = SecretData.normalize(merged);
      String target = status ? object + "/status" : object;
      last =
          store.dispatch(SandboxApiDispatcher.copy(request, HttpMethod.PUT, target, body(merged)));
      if (last.code() != 409) {
        return SandboxApiDispatcher.bodyOrElse(last, merged);
      }
    }
    return last;
  }

  private static String conflictMessage() {
    return "the object has been modified; please apply your changes to the latest version and try again";
  }

  /** What a create needs and an apply body may leave to the URL: apiVersion, kind, name. */
  private static Map<String, Object> forCreate(
      Map<String, Object> patch, ApiPath api, ResourceType type) {
    Map<String, Object> object = new LinkedHashMap<>(patch);
    object.putIfAbsent("apiVersion", type.groupVersion());
    object.putIfAbsent("kind", type.kind());
    Map<String, Object> metadata = metadata(object);
    metadata.putIfAbsent("name", api.name());
    if (api.namespace() != null) {
      metadata.putIfAbsent("namespace", api.namespace());
    }
    return object;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Map<String, Object> object) {
    Object metadata = object.get("metadata");
    if (metadata instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
      object.put("metadata", copy);
      return copy;
    }
    Map<String, Object> created = new LinkedHashMap<>();
    object.put("metadata", created);
    return created;
  }

  private static String resourceVersion(Map<String, Object> object) {
    return JsonBodies.string(JsonBodies.map(object, "metadata"), "resourceVersion");
  }

  private static Buffer body(Object value) {
    return new Buffer().writeUtf8(JsonBodies.write(value));
  }
}
