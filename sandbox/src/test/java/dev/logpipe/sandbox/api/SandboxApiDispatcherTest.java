package dev.logpipe.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The compatibility layer against the real CRUD mock, in-process (no HTTP, no kubectl). */
class SandboxApiDispatcherTest {

  @Test
  void theLayerIsPinnedToTheFabric8ReleaseItWasWrittenAgainst() {
    assertThat(io.fabric8.kubernetes.client.Version.clientVersion())
        .as(
            "fabric8 changed: review SandboxApiDispatcher against the new mock (discovery, patches,"
                + " watches; see sandbox/README.md), then update WRITTEN_AGAINST_FABRIC8")
        .isEqualTo(SandboxApiDispatcher.WRITTEN_AGAINST_FABRIC8);
  }

  static final String LPS = "/apis/logpipe.dev/v1alpha1/namespaces/team-a/logpipelines";
  SandboxApiDispatcher api;

  @BeforeEach
  void setUp() throws Exception {
    api =
        new SandboxApiDispatcher(
            Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));
    String crd = Files.readString(Path.of("../crds/logpipelines.logpipe.dev.yaml"));
    Map<String, Object> object = JsonBodies.readYaml(crd);
    assertThat(
            send(
                    HttpMethod.POST,
                    "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                    "application/json",
                    object)
                .code())
        .isEqualTo(201);
  }

  @Test
  void discoveryListsCrdsFromTheStore() {
    Map<String, Object> groups = body(send(HttpMethod.GET, "/apis", null, null));
    assertThat(JsonBodies.write(groups)).contains("\"logpipe.dev/v1alpha1\"", "\"apps/v1\"");
    Map<String, Object> resources =
        body(send(HttpMethod.GET, "/apis/logpipe.dev/v1alpha1", null, null));
    assertThat(JsonBodies.write(resources))
        .contains(
            "\"name\":\"logpipelines\"", "\"shortNames\":[\"lp\"]", "\"logpipelines/status\"");
  }

  @Test
  void openApiPublishesTheCrdSchemaAndServerSideValidation() {
    Map<String, Object> root = body(send(HttpMethod.GET, "/openapi/v3", null, null));
    String url =
        (String)
            JsonBodies.map(root, "paths", "apis/logpipe.dev/v1alpha1").get("serverRelativeURL");
    String doc =
        JsonBodies.write(
            body(send(HttpMethod.GET, url.substring(0, url.indexOf('?')), null, null)));
    assertThat(doc)
        .contains(
            "dev.logpipe.v1alpha1.LogPipeline",
            "deletionPolicy",
            "fieldValidation",
            "x-kubernetes-group-version-kind");
  }

  @Test
  void mergePatchReplacesArraysAndBumpsGenerationOnlyForSpec() {
    send(HttpMethod.POST, LPS, "application/json", pipeline(List.of("a", "b")));
    MockResponse patched =
        send(
            HttpMethod.PATCH,
            LPS + "/p",
            "application/merge-patch+json",
            Map.of("spec", Map.of("anomalies", Map.of("rules", List.of(rule("c"))))));
    assertThat(patched.code()).isEqualTo(200);
    Map<String, Object> lp = body(send(HttpMethod.GET, LPS + "/p", null, null));
    assertThat(JsonBodies.write(lp)).contains("\"name\":\"c\"").doesNotContain("\"name\":\"a\"");
    assertThat(JsonBodies.map(lp, "metadata").get("generation")).isEqualTo(2);
    send(
        HttpMethod.PATCH,
        LPS + "/p/status",
        "application/merge-patch+json",
        Map.of("status", Map.of("observedGeneration", 2)));
    assertThat(
            JsonBodies.map(body(send(HttpMethod.GET, LPS + "/p", null, null)), "metadata")
                .get("generation"))
        .isEqualTo(2);
  }

  @Test
  void applyCreatesThenMerges() {
    assertThat(
            send(
                    HttpMethod.PATCH,
                    LPS + "/p?fieldManager=x&force=true",
                    "application/apply-patch+yaml",
                    pipeline(List.of("a")))
                .code())
        .isEqualTo(201);
    assertThat(
            send(
                    HttpMethod.PATCH,
                    LPS + "/p?fieldManager=x&force=true",
                    "application/apply-patch+yaml",
                    pipeline(List.of("b")))
                .code())
        .isEqualTo(200);
    assertThat(JsonBodies.write(body(send(HttpMethod.GET, LPS + "/p", null, null))))
        .contains("\"name\":\"b\"")
        .doesNotContain("\"name\":\"a\"");
  }

  @Test
  void aWatchOfAnAbsentObjectByNameStartsWithItsDeletion() {
    String watch = LPS + "?watch=true&fieldSelector=metadata.name%3Dp";
    assertThat(api.deletedEventIfAbsent(get(watch)))
        .isEqualTo(
            "{\"type\":\"DELETED\",\"object\":{\"apiVersion\":\"logpipe.dev/v1alpha1\","
                + "\"kind\":\"LogPipeline\",\"metadata\":{\"name\":\"p\",\"namespace\":\"team-a\"}}}");
    send(HttpMethod.POST, LPS, "application/json", pipeline(List.of("a")));
    assertThat(api.deletedEventIfAbsent(get(watch))).as("the object exists").isNull();
    assertThat(api.deletedEventIfAbsent(get(LPS + "?watch=true"))).as("a collection").isNull();
    assertThat(api.deletedEventIfAbsent(get(LPS + "/q?watch=true"))).contains("\"name\":\"q\"");
  }

  private static RecordedRequest get(String path) {
    return new RecordedRequest(
        "HTTP/1.1", HttpMethod.GET, path, Headers.builder().build(), new Buffer());
  }

  @Test
  void protobufBodiesAre415AndMissingObjectsAreStatus404() {
    assertThat(
            send(HttpMethod.POST, LPS, "application/vnd.kubernetes.protobuf", Map.of("x", 1))
                .code())
        .isEqualTo(415);
    MockResponse missing = send(HttpMethod.GET, LPS + "/nope", null, null);
    assertThat(missing.code()).isEqualTo(404);
    assertThat(body(missing)).containsEntry("reason", "NotFound");
  }

  @Test
  void tablesUseThePrinterColumns() {
    send(HttpMethod.POST, LPS, "application/json", pipeline(List.of("a")));
    send(
        HttpMethod.PATCH,
        LPS + "/p/status",
        "application/merge-patch+json",
        Map.of("status", Map.of("conditions", List.of(Map.of("type", "Ready", "status", "True")))));
    RecordedRequest get =
        new RecordedRequest(
            "HTTP/1.1",
            HttpMethod.GET,
            LPS,
            Headers.builder()
                .add("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
                .build(),
            new Buffer());
    String table = JsonBodies.text(api.dispatch(get).getBody());
    assertThat(table)
        .contains("\"kind\":\"Table\"", "\"name\":\"Ready\"", "\"cells\":[\"p\"")
        .contains("\"True\"");
  }

  private MockResponse send(HttpMethod method, String path, String contentType, Object body) {
    Headers.Builder headers = Headers.builder();
    if (contentType != null) {
      headers.add("Content-Type", contentType);
    }
    Buffer buffer = new Buffer();
    if (body != null) {
      buffer.writeUtf8(JsonBodies.write(body));
    }
    return api.dispatch(new RecordedRequest("HTTP/1.1", method, path, headers.build(), buffer));
  }

  private static Map<String, Object> body(MockResponse response) {
    return JsonBodies.read(JsonBodies.text(response.getBody()));
  }

  private static Map<String, Object> pipeline(List<String> rules) {
    return Map.of(
        "apiVersion",
        "logpipe.dev/v1alpha1",
        "kind",
        "LogPipeline",
        "metadata",
        Map.of("name", "p", "namespace", "team-a"),
        "spec",
        Map.of(
            "anomalies",
            Map.of("rules", rules.stream().map(SandboxApiDispatcherTest::rule).toList())));
  }

  private static Map<String, Object> rule(String name) {
    return Map.of("name", name, "when", Map.of("field", "level", "eq", "ERROR"), "score", 5);
  }
}
