package dev.logpipe.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The apply the operator tests and the sandbox share: RFC 7386 merge (unlike the mock's own merge
 * patch, which appends arrays), managedFields per manager, and no write when nothing changed.
 */
class TestingServerSideApplyTest {
  static final String CM = "/api/v1/namespaces/ns/configmaps";
  final KubernetesCrudDispatcher store = new KubernetesCrudDispatcher();
  final TestingServerSideApply applier = new TestingServerSideApply(store);
  final KubernetesSerialization json = new KubernetesSerialization();

  @Test
  void mergesObjectsReplacesArraysAndRemovesNulls() {
    Map<String, Object> patch = new HashMap<>();
    patch.put("spec", Map.of("replicas", 3, "args", List.of("b")));
    patch.put("gone", null);

    Object merged =
        TestingServerSideApply.merge(
            Map.of(
                "spec", Map.of("replicas", 1, "args", List.of("a", "x"), "keep", true),
                "gone", "x",
                "status", Map.of("ready", 1)),
            patch);

    assertThat(merged)
        .isEqualTo(
            Map.of(
                "spec", Map.of("replicas", 3, "args", List.of("b"), "keep", true),
                "status", Map.of("ready", 1)));
  }

  @Test
  void createsThenWritesOnlyWhatChanges() {
    assertThat(applier.apply(CM + "/c?fieldManager=op", configMap("1")).code()).isEqualTo(201);
    String created = resourceVersion(get());

    MockResponse same = applier.apply(CM + "/c?fieldManager=op", configMap("1"));
    assertThat(same.code()).isEqualTo(200);
    assertThat(resourceVersion(get())).as("unchanged apply").isEqualTo(created);

    assertThat(applier.apply(CM + "/c?fieldManager=op", configMap("2")).code()).isEqualTo(200);
    Map<String, Object> changed = get();
    assertThat(resourceVersion(changed)).isNotEqualTo(created);
    assertThat(changed.get("data")).isEqualTo(Map.of("k", "2"));
    assertThat(applier.received()).isEqualTo(3);
    assertThat(applier.written()).isEqualTo(2);
  }

  @Test
  @SuppressWarnings("unchecked")
  void recordsEachManagersFieldsInPlace() {
    applier.apply(CM + "/c?fieldManager=op", configMap("1"));
    Map<String, Object> other = configMap("1");
    other.put("data", Map.of("other", "x"));
    applier.apply(CM + "/c?fieldManager=kubectl", other);
    applier.apply(CM + "/c?fieldManager=op", configMap("1"));

    List<Map<String, Object>> entries =
        (List<Map<String, Object>>)
            ((Map<String, Object>) get().get("metadata")).get("managedFields");
    assertThat(entries).extracting(e -> e.get("manager")).containsExactly("op", "kubectl");
    assertThat(entries.get(0).get("fieldsV1"))
        .isEqualTo(Map.of("f:data", Map.of("f:k", Map.of()), "f:metadata", Map.of()));
    assertThat(entries).allMatch(e -> "Apply".equals(e.get("operation")));
  }

  @Test
  void aStaleResourceVersionIsAConflictAndStatusOfNothingIsNotFound() {
    applier.apply(CM + "/c?fieldManager=op", configMap("1"));
    Map<String, Object> stale = configMap("2");
    ((Map<String, Object>) stale.get("metadata")).put("resourceVersion", "0");
    assertThat(applier.apply(CM + "/c?fieldManager=op", stale).code()).isEqualTo(409);
    assertThat(get().get("data")).isEqualTo(Map.of("k", "1"));
    assertThat(applier.apply(CM + "/none/status?fieldManager=op", configMap("1")).code())
        .isEqualTo(404);
  }

  private static Map<String, Object> configMap(String value) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", "c");
    metadata.put("namespace", "ns");
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", "v1");
    object.put("kind", "ConfigMap");
    object.put("metadata", metadata);
    object.put("data", Map.of("k", value));
    return object;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> get() {
    MockResponse response =
        store.dispatch(
            new RecordedRequest(
                "HTTP/1.1", HttpMethod.GET, CM + "/c", Headers.builder().build(), new Buffer()));
    assertThat(response.code()).isEqualTo(200);
    return json.unmarshal(response.getBody().readUtf8(), Map.class);
  }

  @SuppressWarnings("unchecked")
  private static String resourceVersion(Map<String, Object> object) {
    return String.valueOf(((Map<String, Object>) object.get("metadata")).get("resourceVersion"));
  }
}
