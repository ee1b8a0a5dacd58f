package dev.logpipe.sandbox.api;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Merge, strategic and apply patches as read-merge-write against the mock: the merged object is
 * written back with PUT at the resourceVersion it was read at, and a conflict with a concurrent
 * writer is retried, as the real server does for patches without a resourceVersion precondition.
 * Apply creates the object when it is absent; it owns no fields (no managedFields), so fields a
 * manager stops sending are kept rather than removed.
 */
final class PatchApplier {
  private static final int ATTEMPTS = 10;
  private final Dispatcher store;

  PatchApplier(Dispatcher store) {
    this.store = store;
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
    String object = api.objectPath();
    MockResponse last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      MockResponse current =
          store.dispatch(SandboxApiDispatcher.copy(request, HttpMethod.GET, object, null));
      if (current.code() == 404) {
        if (kind != PatchKind.APPLY || status) {
          return StatusResponses.notFound(api, type);
        }
        return store.dispatch(
            SandboxApiDispatcher.copy(
                request,
                HttpMethod.POST,
                api.collectionPath(),
                body(SecretData.normalize(forCreate(patch, api, type)))));
      }
      Map<String, Object> existing = JsonBodies.read(JsonBodies.text(current.getBody()));
      String precondition = resourceVersion(patch);
      String stored = resourceVersion(existing);
      if (precondition != null && !Objects.equals(precondition, stored)) {
        return StatusResponses.status(
            409,
            "Conflict",
            "the object has been modified; please apply your changes to the latest version and try again");
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
