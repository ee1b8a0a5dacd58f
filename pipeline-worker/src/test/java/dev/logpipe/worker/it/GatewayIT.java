package dev.logpipe.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.worker.gateway.GatewayCommand;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The gateway over real Kafka, ClickHouse and Redis, with a worker storing what it ingests. */
@WithDevServices
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayIT {
  private static final String TOKEN = "it-token-0123456789abcdef";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int EVENTS = 50_000;
  private static final long BASE_MS = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

  private static TestPipeline pipeline;
  private static RunningWorker worker;
  private static GatewayCommand gateway;
  private static final Map<String, Integer> perService = new HashMap<>();
  private static int errorsOfPayments;

  @BeforeAll
  static void start(DevServices services) throws Exception {
    pipeline = TestPipeline.create(services, "gw", true, null);
    worker = new RunningWorker(pipeline.config());
    gateway =
        new GatewayCommand(
            pipeline.config(),
            Map.of(
                "LOGPIPE_GATEWAY_TOKEN",
                TOKEN,
                "LOGPIPE_HTTP_HOST",
                "127.0.0.1",
                "LOGPIPE_HTTP_PORT",
                "0"));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    worker.close();
  }

  @Test
  @Order(1)
  void ingestsFiftyThousandEventsAndEveryOneIsQueryable() throws Exception {
    Random random = new Random(3);
    for (int batch = 0; batch < EVENTS / 500; batch++) {
      StringBuilder ndjson = new StringBuilder();
      StringBuilder array = new StringBuilder("[");
      for (int i = 0; i < 500; i++) {
        int n = batch * 500 + i;
        String service = LogGenerator.SERVICES[random.nextInt(LogGenerator.SERVICES.length)];
        String level = n % 10 == 0 ? "ERROR" : "INFO";
        perService.merge(service, 1, Integer::sum);
        if (service.equals("payments") && level.equals("ERROR")) {
          errorsOfPayments++;
        }
        String line =
            "{\"ts\":"
                + (BASE_MS + n)
                + ",\"service\":\""
                + service
                + "\",\"level\":\""
                + level
                + "\",\"msg\":\"order "
                + n
                + (n % 1000 == 7 ? " needle" : "")
                + "\",\"status\":"
                + (level.equals("ERROR") ? 503 : 200)
                + "}";
        ndjson.append(line).append('\n');
        array.append(i == 0 ? "" : ",").append(line);
      }
      array.append(']');
      HttpResponse<String> response =
          switch (batch % 3) {
            case 0 -> post(ndjson.toString().getBytes(StandardCharsets.UTF_8), null);
            case 1 -> post(array.toString().getBytes(StandardCharsets.UTF_8), null);
            default -> post(gzip(ndjson.toString()), "gzip");
          };
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
      assertThat(JSON.readTree(response.body()).get("accepted").asInt()).isEqualTo(500);
    }
    await().atMost(Duration.ofSeconds(120)).until(() -> pipeline.storedRows() >= EVENTS);
    assertThat(pipeline.storedRows()).isEqualTo(EVENTS);

    JsonNode stats = get("/v1/stats?from=2026-10-31T00:00:00Z&to=2026-11-02T00:00:00Z&interval=1h");
    assertThat(stats.get("total").asLong()).isEqualTo(EVENTS);
    Map<String, Integer> counted = new HashMap<>();
    stats
        .get("counts")
        .forEach(
            c -> counted.merge(c.get("service").asText(), c.get("events").asInt(), Integer::sum));
    assertThat(counted).isEqualTo(perService);
    long histogramTotal = 0;
    for (JsonNode bucket : stats.get("histogram")) {
      histogramTotal += bucket.get("events").asLong();
    }
    assertThat(histogramTotal).isEqualTo(EVENTS);

    // Ranges with partial minutes at their edges: whole minutes come from the rollup, the rest
    // from the table, and the sum is exact either way.
    assertThat(
            get("/v1/stats?from=2026-10-31T23:59:00Z&to=2026-11-01T00:00:30.123Z")
                .get("total")
                .asLong())
        .isEqualTo(30_123);
    assertThat(
            get("/v1/stats?from=2026-10-31T23:58:59.5Z&to=2026-11-01T00:01:00Z&interval=1m")
                .get("total")
                .asLong())
        .isEqualTo(EVENTS);
    assertThat(
            get("/v1/stats?from=2026-11-01T00:00:10Z&to=2026-11-01T00:00:20Z&interval=1s")
                .get("total")
                .asLong())
        .isEqualTo(10_000);
  }

  @Test
  @Order(2)
  void pagingVisitsEveryRowExactlyOnce() throws Exception {
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page =
          get(
              "/v1/logs?from=2026-10-31T00:00:00Z&to=2026-11-02T00:00:00Z&limit=1000"
                  + (cursor == null ? "" : "&cursor=" + cursor));
      Instant previous = null;
      for (JsonNode e : page.get("events")) {
        assertThat(seen.add(e.get("partition").asText() + ":" + e.get("offset").asText())).isTrue();
        Instant ts = Instant.parse(e.get("timestamp").asText());
        if (previous != null) {
          assertThat(ts).isBeforeOrEqualTo(previous);
        }
        previous = ts;
      }
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
      pages++;
    } while (cursor != null);
    assertThat(seen).hasSize(EVENTS);
    assertThat(pages).isEqualTo(EVENTS / 1000);
  }

  @Test
  @Order(3)
  void everyFilterNarrowsToExactlyTheMatchingEvents() throws Exception {
    String range = "from=2026-10-31T00:00:00Z&to=2026-11-02T00:00:00Z";
    assertThat(countAll("/v1/logs?" + range + "&service=payments&level=ERROR"))
        .isEqualTo(errorsOfPayments);
    assertThat(countAll("/v1/logs?" + range + "&service=payments,auth"))
        .isEqualTo(perService.get("payments") + perService.get("auth"));
    assertThat(countAll("/v1/logs?" + range + "&q=NEEDLE")).isEqualTo(EVENTS / 1000);
    assertThat(countAll("/v1/logs?" + range + "&level=error&level=fatal")).isEqualTo(EVENTS / 10);
    assertThat(countAll("/v1/logs?" + range + "&anomalies=true")).isEqualTo(EVENTS / 10);
    assertThat(countAll("/v1/logs?" + range + "&min_score=90")).isEqualTo(EVENTS / 10);
    assertThat(countAll("/v1/logs?from=2026-11-01T00:00:01Z&to=2026-11-01T00:00:02Z"))
        .isEqualTo(1000);
    JsonNode anomalies = get("/v1/anomalies?" + range + "&limit=5");
    assertThat(anomalies.get("events")).hasSize(5);
    assertThat(anomalies.get("events").get(0).get("anomaly_reasons").toString())
        .contains("error-level");
    long topTotal = 0;
    for (JsonNode s : anomalies.get("top_services")) {
      topTotal += s.get("anomalies").asLong();
    }
    assertThat(topTotal).isEqualTo(EVENTS / 10);
  }

  @Test
  @Order(4)
  void hostileParametersAreRejectedOrTreatedAsDataAndChangeNothing() throws Exception {
    String range = "from=2026-10-31T00:00:00Z&to=2026-11-02T00:00:00Z";
    assertThat(countAll("/v1/logs?" + range + "&q=" + enc("'; DROP TABLE gw; --"))).isZero();
    assertThat(countAll("/v1/logs?" + range + "&service=" + enc("x' OR 1=1 --"))).isZero();
    assertThat(countAll("/v1/logs?" + range + "&q=" + enc("\\'\") OR (1=1"))).isZero();
    Map<String, String> bad =
        Map.of(
            "/v1/logs?from=2025-13-45",
            "from",
            "/v1/logs?limit=99999999999999",
            "limit",
            "/v1/logs?limit=abc",
            "limit",
            "/v1/logs?level=" + enc("INFO' OR '1'='1"),
            "level",
            "/v1/logs?cursor=" + enc("not-a-cursor"),
            "cursor",
            "/v1/logs?min_score=1000000000",
            "min_score",
            "/v1/logs?from=1700-01-01T00:00:00Z",
            "from",
            "/v1/logs?from=" + enc("1); DROP TABLE gw"),
            "from",
            "/v1/stats?interval=" + enc("1 SECOND) --"),
            "interval",
            "/v1/logs?sort=" + enc("timestamp; DROP TABLE gw"),
            "sort");
    for (Map.Entry<String, String> e : bad.entrySet()) {
      HttpResponse<String> r = raw(e.getKey(), TOKEN);
      assertThat(r.statusCode()).as(e.getKey() + " → " + r.body()).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).get("parameter").asText()).isEqualTo(e.getValue());
    }
    assertThat(raw("/v1/logs?from=30d&to=now", TOKEN).statusCode()).isEqualTo(200);
    assertThat(raw("/v1/logs?from=60d", TOKEN).statusCode()).isEqualTo(400);
    assertThat(pipeline.storedRows()).isEqualTo(EVENTS);
  }

  @Test
  @Order(5)
  void authIsRequiredExceptForHealth() throws Exception {
    assertThat(raw("/v1/logs", null).statusCode()).isEqualTo(401);
    assertThat(raw("/v1/logs", "wrong-token-0123456789").statusCode()).isEqualTo(401);
    assertThat(raw("/v1/logs", null).headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(raw("/healthz", null).statusCode()).isEqualTo(200);
    assertThat(raw("/readyz", null).statusCode()).isEqualTo(200);
    assertThat(raw("/openapi.json", null).body()).contains("\"/v1/stats\"");
    assertThat(raw("/docs", null).body()).contains("openapi.json");
    HttpResponse<String> unauthorizedPost =
        HTTP.send(
            HttpRequest.newBuilder(uri("/v1/logs"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(unauthorizedPost.statusCode()).isEqualTo(401);
  }

  @Test
  @Order(6)
  void anInvalidRecordRejectsTheWholeRequestAndWritesNothing() throws Exception {
    long endBefore = topicEnd();
    String body = "{\"msg\":\"fine\"}\n{\"msg\": broken\n{\"msg\":\"also fine\"}\n[1]\n";
    HttpResponse<String> r = post(body.getBytes(StandardCharsets.UTF_8), null);
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(r.body());
    assertThat(error.get("rejected").asInt()).isEqualTo(2);
    assertThat(error.get("errors").get(0).get("index").asInt()).isEqualTo(1);
    assertThat(error.get("errors").get(1).get("index").asInt()).isEqualTo(3);
    assertThat(post(new byte[17 * 1024 * 1024], null).statusCode()).isEqualTo(413);
    assertThat(post("[{\"msg\":1},".getBytes(StandardCharsets.UTF_8), null).statusCode())
        .isEqualTo(400);
    assertThat(topicEnd()).isEqualTo(endBefore);
  }

  @Test
  @Order(7)
  void repeatedQueriesAreServedFromRedisAndRedisDownStillAnswersCorrectly(DevServices services)
      throws Exception {
    String path = "/v1/stats?from=2026-10-31T00:00:00Z&to=2026-11-02T00:00:00Z&service=search";
    HttpResponse<String> first = raw(path, TOKEN);
    HttpResponse<String> second = raw(path, TOKEN);
    assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(raw("/metrics", null).body())
        .containsPattern("logpipe_gateway_cache_total\\{[^}]*result=\"hit\"[^}]*\\} [1-9]");

    services.redis().stop();
    try {
      HttpResponse<String> withoutRedis = raw(path + "&level=INFO", TOKEN);
      assertThat(withoutRedis.statusCode()).isEqualTo(200);
      assertThat(withoutRedis.headers().firstValue("X-Cache")).hasValue("MISS");
      assertThat(JSON.readTree(withoutRedis.body()).get("total").asInt())
          .isEqualTo(
              perService.get("search")
                  - countAll(
                      "/v1/logs?from=2026-10-31T00:00:00Z&to=2026-11-02T00:00:00Z&service=search&level=ERROR"));
    } finally {
      services.redis().start();
    }
  }

  @Test
  @Order(8)
  void ingestWhileKafkaIsDownAnswers503AndAcknowledgesNothing(DevServices services)
      throws Exception {
    long storedBefore = pipeline.storedRows();
    services.kafka().stop();
    try {
      HttpResponse<String> r = post("{\"msg\":\"lost?\"}\n".getBytes(StandardCharsets.UTF_8), null);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    } finally {
      services.kafka().start();
    }
    assertThat(pipeline.storedRows()).isEqualTo(storedBefore);
  }

  private static int countAll(String path) throws Exception {
    int total = 0;
    String cursor = null;
    do {
      JsonNode page = get(path + "&limit=1000" + (cursor == null ? "" : "&cursor=" + cursor));
      total += page.get("events").size();
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
    } while (cursor != null);
    return total;
  }

  private long topicEnd() {
    return endOffsets();
  }

  private long endOffsets() {
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(
            Map.of("bootstrap.servers", pipeline.config().kafka().bootstrapServers()),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      var partitions =
          consumer.partitionsFor(pipeline.topic()).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition()))
              .toList();
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> r = raw(path, TOKEN);
    assertThat(r.statusCode()).as(path + " → " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static HttpResponse<String> raw(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(byte[] body, String encoding) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri("/v1/logs"))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + TOKEN)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + gateway.port() + path);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static byte[] gzip(String s) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }
}
