package dev.logpipe.devservices.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpQueryRequestTest {
  private static final Set<String> SETTINGS =
      Set.of("max_threads", "insert_deduplication_token", "enable_http_compression", "readonly");

  @Test
  void separatesSettingsParametersAndHttpOnlyParameters() {
    HttpQueryRequest request =
        HttpQueryRequest.parse(
            "compress=1&database=logs&query=INSERT%20INTO%20t%20FORMAT%20RowBinary"
                + "&insert_deduplication_token=tok%2B1&param_p=a%27b&wait_end_of_query=1"
                + "&enable_http_compression=1&readonly=1&query_id=q-1&no_such_thing=3",
            Map.<String, String>of()::get, SETTINGS);

    assertThat(request.urlQuery()).isEqualTo("INSERT INTO t FORMAT RowBinary");
    assertThat(request.database()).isEqualTo("logs");
    assertThat(request.settings())
        .containsExactly(Map.entry("insert_deduplication_token", "tok+1"));
    assertThat(request.parameters()).containsExactly(Map.entry("p", "a'b"));
    assertThat(request.compress()).isTrue();
    assertThat(request.httpCompression()).isTrue();
    assertThat(request.decompress()).isFalse();
    assertThat(request.queryId()).isEqualTo("q-1");
    assertThat(request.ignored()).containsOnlyKeys("no_such_thing");
    assertThat(request.defaultFormat()).isEqualTo("TabSeparated");
  }

  @Test
  void headersGiveDatabaseFormatAndCredentials() {
    Map<String, String> headers =
        Map.of(
            "X-ClickHouse-Database", "db1",
            "X-ClickHouse-Format", "RowBinaryWithNamesAndTypes",
            "X-ClickHouse-User", "alice",
            "X-ClickHouse-Key", "secret");
    HttpQueryRequest request = HttpQueryRequest.parse(null, headers::get, SETTINGS);
    assertThat(request.database()).isEqualTo("db1");
    assertThat(request.defaultFormat()).isEqualTo("RowBinaryWithNamesAndTypes");
    assertThat(request.user()).isEqualTo("alice");
    assertThat(request.password()).isEqualTo("secret");
    assertThat(request.urlQuery()).isNull();
  }

  @Test
  void basicAuthAndDefaults() {
    String basic =
        "Basic " + Base64.getEncoder().encodeToString("bob:p:w".getBytes(StandardCharsets.UTF_8));
    HttpQueryRequest request =
        HttpQueryRequest.parse("", Map.of("Authorization", basic)::get, SETTINGS);
    assertThat(request.user()).isEqualTo("bob");
    assertThat(request.password()).isEqualTo("p:w");
    assertThat(request.database()).isEqualTo("default");

    HttpQueryRequest anonymous =
        HttpQueryRequest.parse("", Map.<String, String>of()::get, SETTINGS);
    assertThat(anonymous.user()).isEqualTo("default");
    assertThat(anonymous.password()).isEmpty();
  }
}
