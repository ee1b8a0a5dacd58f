package dev.logpipe.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonPathColumnTest {
  static final Map<String, Object> OBJECT =
      Map.of(
          "status",
          Map.of(
              "conditions",
              List.of(
                  Map.of("type", "Accepted", "status", "True"),
                  Map.of("type", "Ready", "status", "False")),
              "workers",
              Map.of("ready", 2)));

  @Test
  void evaluatesTheSubsetPrinterColumnsUse() {
    assertThat(JsonPathColumn.cell(OBJECT, ".status.conditions[?(@.type==\"Ready\")].status"))
        .isEqualTo("False");
    assertThat(JsonPathColumn.cell(OBJECT, ".status.workers.ready")).isEqualTo(2);
    assertThat(JsonPathColumn.cell(OBJECT, ".status.conditions[0].type")).isEqualTo("Accepted");
    assertThat(JsonPathColumn.cell(OBJECT, ".status.conditions[*].type"))
        .isEqualTo("Accepted,Ready");
    assertThat(JsonPathColumn.cell(OBJECT, ".status.missing")).isNull();
    assertThat(JsonPathColumn.cell(OBJECT, "{bad}")).isNull();
  }

  @Test
  void agesPrintLikeKubectl() {
    Instant now = Instant.parse("2030-01-02T00:00:00Z");
    assertThat(TableConverter.age("2030-01-01T23:59:15Z", now)).isEqualTo("45s");
    assertThat(TableConverter.age("2030-01-01T23:56:48Z", now)).isEqualTo("3m12s");
    assertThat(TableConverter.age("2030-01-01T19:00:00Z", now)).isEqualTo("5h");
    assertThat(TableConverter.age("2029-12-29T20:00:00Z", now)).isEqualTo("3d4h");
  }

  @Test
  void parsesResourcePaths() {
    ApiPath p =
        ApiPath.parse(
            "/apis/apps/v1/namespaces/ns/deployments/w/status?fieldSelector=metadata.name%3Dw&watch=true");
    assertThat(p)
        .isEqualTo(new ApiPath("apps", "v1", "ns", "deployments", "w", "status", p.query()));
    assertThat(p.isWatch()).isTrue();
    assertThat(p.fieldSelectedName()).isEqualTo("w");
    assertThat(ApiPath.parse("/api/v1/namespaces/ns"))
        .isEqualTo(new ApiPath("", "v1", null, "namespaces", "ns", null, Map.of()));
    assertThat(ApiPath.parse("/api/v1/namespaces/ns/pods").namespace()).isEqualTo("ns");
    assertThat(ApiPath.parse("/version")).isNull();
  }
}
