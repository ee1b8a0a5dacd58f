package dev.logpipe.sandbox.api;

import static dev.logpipe.sandbox.api.DiscoveryDocuments.ordered;

import io.fabric8.mockwebserver.http.MockResponse;
import java.util.Map;

/** {@code Status} bodies for errors, so kubectl prints the real server's messages. */
final class StatusResponses {
  private StatusResponses() {}

  static MockResponse status(int code, String reason, String message) {
    return json(
        code,
        ordered(
            "kind",
            "Status",
            "apiVersion",
            "v1",
            "metadata",
            Map.of(),
            "status",
            "Failure",
            "message",
            message,
            "reason",
            reason,
            "code",
            code));
  }

  static MockResponse notFound(ApiPath path, ResourceType type) {
    String resource = type.group().isEmpty() ? type.plural() : type.plural() + "." + type.group();
    MockResponse response =
        status(404, "NotFound", resource + " \"" + path.name() + "\" not found");
    return response;
  }

  static MockResponse noSuchResource() {
    return status(404, "NotFound", "the server could not find the requested resource");
  }

  static MockResponse json(int code, Object body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(JsonBodies.write(body));
  }
}
