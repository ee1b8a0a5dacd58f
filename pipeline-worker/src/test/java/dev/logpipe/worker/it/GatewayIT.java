package dev.logpipe.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.faults.SilentServer;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.worker.DevClickHouse;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.gateway.GatewayCommand;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
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
  static final String TOKEN = "it-token-0123456789abcdef";
  private static final ObjectMapper JSON = GatewayClient.JSON;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int EVENTS = 50_000;
  private static final long BASE_MS = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

  private static TestPipeline pipeline;
  private static RunningWorker worker;
  private static GatewayCommand gateway;
  private static GatewayClient client;
  private static final Map<String, Integer> perService = new HashMap<>();
  private static final Map<String, Integer> perServiceAndLevel = new HashMap<>();
  private static int errorsOfPayments;

  @BeforeAll
  static void start(DevServices services) throws Exception {
    pipeline = TestPipeline.create(services, "gw", true, null);
    worker = new RunningWorker(pipeline.config());
    gateway = new GatewayCommand(pipeline.config(), gatewayEnvironment());
    client = new GatewayClient(gateway.port(), TOKEN);
  }

  static Map<String, String> gatewayEnvironment() {
    Map<String, String> env = new HashMap<>(DevClickHouse.env());
    env.putAll(
        Map.of(
            "LOGPIPE_GATEWAY_TOKEN",
            TOKEN,
            "LOGPIPE_HTTP_HOST",
            "127.0.0.1",
            "LOGPIPE_HTTP_PORT",
            "0"));
    return env;
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
        perServiceAndLevel.merge(service + "/" + level, 1, Integer::sum);
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
    assertThat(countsByServiceAndLevel(stats)).isEqualTo(perServiceAndLevel);
    long histogramTotal = 0;
    for (JsonNode bucket : stats.get("histogram")) {
      histogramTotal += bucket.get("events").asLong();
    }
    assertThat(histogramTotal).isEqualTo(EVENTS);

    // Ranges with partial minutes at their edges: whole minutes come from the rollup, the rest
    // from the table, and the sum is exact either way.
    JsonNode partial = get("/v1/stats?from=2026-10-31T23:59:00Z&to=2026-11-01T00:00:30.123Z");
    assertThat(partial.get("total").asLong()).isEqualTo(30_123);
    // Events 0..30122: every tenth (0, 10, ..., 30120) is an ERROR.
    assertThat(countsByLevel(partial)).isEqualTo(Map.of("ERROR", 3_013, "INFO", 27_110));
    // A text filter is answered from the table alone, not the rollup: same exact split.
    JsonNode needles = get("/v1/stats?from=2026-10-31T00:00:00Z&to=2026-11-02T00:00:00Z&q=needle");
    assertThat(countsByLevel(needles)).isEqualTo(Map.of("INFO", EVENTS / 1000));
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
        Map.ofEntries(
            Map.entry("/v1/logs?from=2025-13-45", "from"),
            Map.entry("/v1/logs?limit=99999999999999", "limit"),
            Map.entry("/v1/logs?limit=abc", "limit"),
            Map.entry("/v1/logs?level=" + enc("INFO' OR '1'='1"), "level"),
            Map.entry("/v1/logs?cursor=" + enc("not-a-cursor"), "cursor"),
            Map.entry("/v1/logs?min_score=1000000000", "min_score"),
            Map.entry("/v1/logs?from=1700-01-01T00:00:00Z", "from"),
            Map.entry("/v1/logs?from=" + enc("1); DROP TABLE gw"), "from"),
            Map.entry("/v1/stats?interval=" + enc("1 SECOND) --"), "interval"),
            Map.entry("/v1/logs?sort=" + enc("timestamp; DROP TABLE gw"), "sort"),
            // The row cap (1000) and the widest range (31 days), one past each limit.
            Map.entry("/v1/logs?limit=1001", "limit"),
            Map.entry("/v1/anomalies?limit=1001", "limit"),
            Map.entry("/v1/logs?from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00.001Z", "from"),
            Map.entry("/v1/stats?from=32d", "from"),
            Map.entry("/v1/anomalies?from=2026-10-01T00:00:00Z&to=2026-11-02T00:00:00Z", "from"));
    for (Map.Entry<String, String> e : bad.entrySet()) {
      HttpResponse<String> r = raw(e.getKey(), TOKEN);
      assertThat(r.statusCode()).as(e.getKey() + " → " + r.body()).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).get("parameter").asText()).isEqualTo(e.getValue());
    }
    assertThat(raw("/v1/logs?from=30d&to=now", TOKEN).statusCode()).isEqualTo(200);
    assertThat(raw("/v1/logs?from=60d", TOKEN).statusCode()).isEqualTo(400);
    assertThat(get("/v1/logs?from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z&limit=1000"))
        .isNotNull();
    HttpResponse<String> tooWide = raw("/v1/logs?from=32d", TOKEN);
    assertThat(JSON.readTree(tooWide.body()).get("error").asText())
        .isEqualTo("the time range may span at most 31 days");
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
            HttpRequest.newBuilder(client.uri("/v1/logs"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(unauthorizedPost.statusCode()).isEqualTo(401);
  }

  @Test
  @Order(6)
  void anInvalidRecordRejectsTheWholeRequestAndWritesNothing() throws Exception {
    long endBefore = pipeline.topicEnd();
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
    assertThat(pipeline.topicEnd()).isEqualTo(endBefore);
  }

  @Test
  @Order(7)
  void repeatedQueriesAreServedFromRedisAndRedisDownStillAnswersCorrectly(DevServices services)
      throws Exception {
    String path = "/v1/stats?from=2026-10-31T00:00:00Z&to=2026-11-02T00:00:00Z&service=search";
    String prefix = pipeline.config().redis().keyPrefix() + "query:";
    int ttl = pipeline.config().gateway().queryCacheTtlSeconds();
    RedisClient redis = RedisClient.create(services.redisUrl());
    try (StatefulRedisConnection<String, String> connection = redis.connect()) {
      RedisCommands<String, String> r = connection.sync();
      Set<String> before = new HashSet<>(r.keys(prefix + "*"));
      HttpResponse<String> first = raw(path, TOKEN);
      assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
      Set<String> added = new HashSet<>(r.keys(prefix + "*"));
      added.removeAll(before);
      assertThat(added).hasSize(1);
      String key = added.iterator().next();
      assertThat(key).matches(Pattern.quote(prefix) + "[0-9a-f]{40}");
      assertThat(r.ttl(key)).isBetween(1L, (long) ttl);
      assertThat(r.get(key)).isEqualTo(first.body());

      HttpResponse<String> second = raw(path, TOKEN);
      assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
      assertThat(second.body()).isEqualTo(first.body());
      // The same query with its parameters in another order is the same normalised query: one
      // key, served from the cache.
      HttpResponse<String> reordered =
          raw("/v1/stats?service=search&to=2026-11-02T00:00:00Z&from=2026-10-31T00:00:00Z", TOKEN);
      assertThat(reordered.headers().firstValue("X-Cache")).hasValue("HIT");
      assertThat(r.keys(prefix + "*")).hasSize(before.size() + 1);
      // What the cache serves is what ClickHouse says: the uncached answer has the same numbers.
      JsonNode cached = JSON.readTree(second.body());
      assertThat(cached.get("total").asInt()).isEqualTo(perService.get("search"));
      assertThat(countsByServiceAndLevel(cached))
          .isEqualTo(
              Map.of(
                  "search/ERROR",
                  perServiceAndLevel.get("search/ERROR"),
                  "search/INFO",
                  perServiceAndLevel.get("search/INFO")));
    } finally {
      redis.shutdown();
    }
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

  @Test
  @Order(9)
  void clickHouseDownAnswers503AtOnceAndQueriesWorkAgainWhenItReturns(DevServices services)
      throws Exception {
    assumeFalse(services.clickhouse().isExternal(), "needs a ClickHouse this test may kill");
    String range = "from=2026-10-31T00:00:00Z&to=2026-11-02T00:00:00Z&service=inventory";
    // Queries not asked before, so no cached answer can hide the outage.
    List<String> paths =
        List.of(
            "/v1/logs?" + range + "&level=ERROR",
            "/v1/stats?" + range + "&interval=1h",
            "/v1/anomalies?" + range);
    services.clickhouse().kill();
    try {
      for (String path : paths) {
        long start = System.nanoTime();
        HttpResponse<String> r = raw(path, TOKEN);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.statusCode()).as(path + " → " + r.body()).isEqualTo(503);
        assertThat(JSON.readTree(r.body()).get("error").asText())
            .isEqualTo("ClickHouse is unavailable");
        assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(tookMs).as(path + " answered after " + tookMs + " ms").isLessThan(3_000);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> raw("/readyz", null).statusCode() == 503);
      assertThat(raw("/readyz", null).body()).contains("ClickHouse does not answer");
      assertThat(raw("/healthz", null).statusCode()).isEqualTo(200);
    } finally {
      services.clickhouse().start();
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> raw("/readyz", null).statusCode() == 200);
    // No 503 was cached: the same queries now answer with what the data says.
    int errors = perServiceAndLevel.get("inventory/ERROR");
    HttpResponse<String> logs = raw(paths.get(0) + "&limit=1000", TOKEN);
    assertThat(logs.statusCode()).as(logs.body()).isEqualTo(200);
    assertThat(JSON.readTree(logs.body()).get("events")).hasSize(errors);
    HttpResponse<String> stats = raw(paths.get(1), TOKEN);
    assertThat(stats.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(countsByServiceAndLevel(JSON.readTree(stats.body())))
        .isEqualTo(
            Map.of(
                "inventory/ERROR",
                errors,
                "inventory/INFO",
                perServiceAndLevel.get("inventory/INFO")));
    JsonNode top = get(paths.get(2)).get("top_services");
    assertThat(top).hasSize(1);
    assertThat(top.get(0).get("anomalies").asInt()).isEqualTo(errors);
  }

  @Test
  @Order(10)
  void aClickHouseThatNeverAnswersGives503AfterTheQueryLimitNotTheSixtySecondDefault()
      throws Exception {
    try (SilentServer hung = new SilentServer()) {
      int limitSeconds = 1;
      PipelineConfig c = pipeline.config();
      PipelineConfig.Gateway d = c.gateway();
      PipelineConfig towardsHung =
          new PipelineConfig(
              c.pipeline(),
              c.kafka(),
              new PipelineConfig.ClickHouse(
                  hung.httpUrl(), c.clickhouse().database(), c.clickhouse().table()),
              null,
              c.format(),
              c.anomalies(),
              c.batch(),
              new PipelineConfig.Gateway(
                  0, d.maxRangeDays(), d.maxLimit(), limitSeconds, d.maxBodyBytes()));
      try (GatewayCommand stuck = new GatewayCommand(towardsHung, gatewayEnvironment())) {
        GatewayClient stuckClient = new GatewayClient(stuck.port(), TOKEN);
        List<String> paths = List.of("/v1/logs?from=1h", "/v1/stats?from=1h", "/v1/anomalies");
        ExecutorService callers = Executors.newFixedThreadPool(paths.size());
        try {
          List<Future<Map.Entry<HttpResponse<String>, Duration>>> calls = new ArrayList<>();
          for (String path : paths) {
            calls.add(
                callers.submit(
                    () -> {
                      long start = System.nanoTime();
                      HttpResponse<String> r = stuckClient.raw(path, TOKEN);
                      return Map.entry(r, Duration.ofNanos(System.nanoTime() - start));
                    }));
          }
          for (int i = 0; i < paths.size(); i++) {
            HttpResponse<String> r = calls.get(i).get().getKey();
            Duration took = calls.get(i).get().getValue();
            assertThat(r.statusCode()).as(paths.get(i) + " → " + r.body()).isEqualTo(503);
            assertThat(JSON.readTree(r.body()).get("error").asText())
                .isEqualTo("ClickHouse did not answer within the 1 s query limit");
            // Not before a healthy server would have ended the query, and not at the 60 s
            // socket default either: the limit plus the 2 s margin.
            assertThat(took)
                .as(paths.get(i))
                .isBetween(Duration.ofSeconds(limitSeconds), Duration.ofSeconds(limitSeconds + 5));
          }
        } finally {
          callers.shutdownNow();
        }
        HttpResponse<String> ready = stuckClient.raw("/readyz", null);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("ClickHouse does not answer");
      }
    }
  }

  private static Map<String, Integer> countsByServiceAndLevel(JsonNode stats) {
    return GatewayClient.countsByServiceAndLevel(stats);
  }

  private static Map<String, Integer> countsByLevel(JsonNode stats) {
    Map<String, Integer> counts = new HashMap<>();
    stats
        .get("counts")
        .forEach(c -> counts.merge(c.get("level").asText(), c.get("events").asInt(), Integer::sum));
    return counts;
  }

  private static int countAll(String path) throws Exception {
    return client.countAll(path);
  }

  private static JsonNode get(String path) throws Exception {
    return client.get(path);
  }

  private static HttpResponse<String> raw(String path, String token) throws Exception {
    return client.raw(path, token);
  }

  private static HttpResponse<String> post(byte[] body, String encoding) throws Exception {
    return client.post(body, null, encoding);
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
