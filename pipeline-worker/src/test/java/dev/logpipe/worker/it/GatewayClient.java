package dev.logpipe.worker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** HTTP calls to a gateway under test on loopback, with its bearer token. */
record GatewayClient(int port, String token) {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** A GET with the given token (null: none); 30 s at most, so a hang fails the test. */
  HttpResponse<String> raw(String path, String withToken) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
    if (withToken != null) {
      b.header("Authorization", "Bearer " + withToken);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A GET that must answer 200; its JSON body. */
  JsonNode get(String path) throws Exception {
    HttpResponse<String> r = raw(path, token);
    assertThat(r.statusCode()).as(path + " → " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** {@code POST /v1/logs}; null content type or encoding: no such header. */
  HttpResponse<String> post(byte[] body, String contentType, String encoding) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri("/v1/logs"))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Events of {@code GET /v1/logs} {@code path} (which has a query string), every page. */
  int countAll(String path) throws Exception {
    int total = 0;
    String cursor = null;
    do {
      JsonNode page = get(path + "&limit=1000" + (cursor == null ? "" : "&cursor=" + cursor));
      total += page.get("events").size();
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
    } while (cursor != null);
    return total;
  }

  /** {@code service/level} → events from a stats answer; each pair must appear once. */
  static Map<String, Integer> countsByServiceAndLevel(JsonNode stats) {
    Map<String, Integer> counts = new HashMap<>();
    for (JsonNode c : stats.get("counts")) {
      String key = c.get("service").asText() + "/" + c.get("level").asText();
      assertThat(counts.put(key, c.get("events").asInt())).as("repeated " + key).isNull();
    }
    return counts;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
