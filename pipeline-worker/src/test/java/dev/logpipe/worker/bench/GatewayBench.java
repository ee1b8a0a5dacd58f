package dev.logpipe.worker.bench;

import com.clickhouse.client.api.Client;
import dev.logpipe.devservices.DevServices;
import dev.logpipe.worker.config.Credentials;
import dev.logpipe.worker.config.LogTableSchema;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.config.PipelineConfigLoader;
import dev.logpipe.worker.gateway.GatewayCommand;
import dev.logpipe.worker.model.LogEvent;
import dev.logpipe.worker.sink.ClickHouseBatchWriter;
import dev.logpipe.worker.sink.ClickHouseClients;
import dev.logpipe.worker.sink.RowBinaryEncoder;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Gateway benchmark (a program, not a test). Stores {@code events} rows (default 10M) spread over
 * the last 24 h directly in ClickHouse, then measures through the gateway's HTTP API: p50/p99 of a
 * filtered {@code GET /v1/logs}, of a 24 h {@code GET /v1/stats}, of the same queries answered from
 * the Redis cache, and ingest events/s through {@code POST /v1/logs} in batches of 500 with process
 * CPU per event. The ceiling printed beside the query figures is ClickHouse answering {@code SELECT
 * 1} through the same client path.
 *
 * <p>Run: {@code bin/bench pipeline-worker dev.logpipe.worker.bench.GatewayBench [events]}
 */
public final class GatewayBench {
  private static final String TOKEN = "bench-token-0123456789abcdef";
  private static final String[] SERVICES = {
    "payments", "checkout", "search", "auth", "inventory", "shipping", "web", "api"
  };
  private static final String[] LEVELS = {"INFO", "INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private GatewayBench() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
    Path dir = Path.of("target", "bench-gateway-" + ProcessHandle.current().pid()).toAbsolutePath();
    try (DevServices services = DevServices.start(dir, EnumSet.allOf(DevServices.Kind.class))) {
      PipelineConfig config =
          PipelineConfigLoader.withDefaults(
              new PipelineConfig(
                  new PipelineConfig.Pipeline("bench", "gw"),
                  new PipelineConfig.Kafka(
                      services.kafkaBootstrap(), "bench.gw", "bench-gw", null, null),
                  new PipelineConfig.ClickHouse(services.clickHouseUrl(), "bench", "gw"),
                  new PipelineConfig.Redis(
                      services.redisUrl(), "logpipe:bench:gw:", 100, 1000, 3600),
                  null,
                  null,
                  null,
                  new PipelineConfig.Gateway(300, 31, 1000, 10, 16L << 20)));
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", services.kafkaBootstrap()))) {
        admin.createTopics(List.of(new NewTopic("bench.gw", 2, (short) 1))).all().get();
      }
      Instant now = Instant.now();
      long t0 = System.nanoTime();
      load(services, events, now);
      System.out.printf(
          "stored %,d rows over the last 24 h in %.1f s%n", events, (System.nanoTime() - t0) / 1e9);
      System.out.printf(
          "background merges after the load settled in %.1f s%n", awaitMerges(services));
      try (GatewayCommand gateway =
          new GatewayCommand(
              config,
              Map.of(
                  "LOGPIPE_GATEWAY_TOKEN",
                  TOKEN,
                  "LOGPIPE_HTTP_HOST",
                  "127.0.0.1",
                  "LOGPIPE_HTTP_PORT",
                  "0"))) {
        String base = "http://127.0.0.1:" + gateway.port();
        Random random = new Random(5);
        try (Client ceiling =
            ClickHouseClients.create(
                services.clickHouseUrl(), new Credentials("default", ""), null)) {
          latency(
              "ceiling: ClickHouse SELECT 1 via client", 200, i -> ceiling.queryAll("SELECT 1"));
        }
        latency(
            "filtered GET /v1/logs (uncached)",
            200,
            i ->
                get(
                    base
                        + "/v1/logs?from=24h&service="
                        + SERVICES[random.nextInt(SERVICES.length)]
                        + "&level=ERROR&limit=100&min_score="
                        + (i % 50)));
        latency(
            "24 h GET /v1/stats (uncached)",
            60,
            i ->
                get(
                    base
                        + "/v1/stats?from=24h&interval="
                        + (i % 2 == 0 ? "15m" : "1h")
                        + "&level="
                        + LEVELS[i % LEVELS.length]
                        + "&q="
                        + (i % 30)));
        get(base + "/v1/logs?from=24h&service=payments&level=ERROR&limit=100");
        latency(
            "filtered GET /v1/logs (cached)",
            500,
            i -> get(base + "/v1/logs?from=24h&service=payments&level=ERROR&limit=100"));
        get(base + "/v1/stats?from=24h&interval=1h");
        latency(
            "24 h GET /v1/stats (cached)", 500, i -> get(base + "/v1/stats?from=24h&interval=1h"));
        ingest(base, 200_000, 4);
      }
    }
  }

  private static void load(DevServices services, int events, Instant now) throws Exception {
    try (Client client =
        ClickHouseClients.create(services.clickHouseUrl(), new Credentials("default", ""), null)) {
      for (String sql : LogTableSchema.create("bench", "gw", 30)) {
        client.execute(sql).get().close();
      }
      ClickHouseBatchWriter writer = new ClickHouseBatchWriter(client, "bench", "gw", 120);
      Random random = new Random(9);
      RowBinaryEncoder rows = new RowBinaryEncoder(32 << 20);
      long start = now.minus(Duration.ofHours(24)).toEpochMilli();
      long span = Duration.ofHours(24).toMillis();
      for (int i = 0; i < events; i++) {
        String level = LEVELS[random.nextInt(LEVELS.length)];
        LogEvent e =
            new LogEvent()
                .timestampMs(start + (long) ((double) i / events * span))
                .service(SERVICES[random.nextInt(SERVICES.length)])
                .level(level)
                .message(
                    "GET /api/v1/orders/"
                        + random.nextInt(100_000)
                        + " completed in "
                        + random.nextInt(2000)
                        + " ms")
                .host("node-" + random.nextInt(20))
                .traceId(Long.toHexString(random.nextLong()))
                .statusCode(level.equals("ERROR") ? 502 : 200)
                .latencyMs(random.nextInt(4000))
                .source(0, i)
                .ingestedAtMs(now.toEpochMilli());
        if (level.equals("ERROR")) {
          e.addAnomaly("error-level", 50);
        }
        rows.encode(e);
        if (rows.rows() == 200_000) {
          writer.insert(rows::writeTo, "load-" + i);
          rows.reset();
        }
      }
      if (rows.rows() > 0) {
        writer.insert(rows::writeTo, "load-last");
      }
    }
  }

  /**
   * Queries are measured on a settled table, as in a pipeline that has been running: waits until no
   * merge runs and the number of active parts has stopped falling for 5 s (at most 180 s).
   */
  private static double awaitMerges(DevServices services) throws InterruptedException {
    long t0 = System.nanoTime();
    try (Client client =
        ClickHouseClients.create(services.clickHouseUrl(), new Credentials("default", ""), null)) {
      long lastParts = Long.MAX_VALUE;
      long stableSince = System.nanoTime();
      while (System.nanoTime() - t0 < 180e9) {
        long merging =
            client
                .queryAll("SELECT count() FROM system.merges WHERE database = 'bench'")
                .get(0)
                .getLong(1);
        long parts =
            client
                .queryAll("SELECT count() FROM system.parts WHERE database = 'bench' AND active")
                .get(0)
                .getLong(1);
        if (merging > 0 || parts < lastParts) {
          stableSince = System.nanoTime();
          lastParts = Math.min(lastParts, parts);
        } else if (System.nanoTime() - stableSince > 5e9) {
          break;
        }
        Thread.sleep(500);
      }
      System.out.printf(
          "active parts: %d%n",
          client
              .queryAll("SELECT count() FROM system.parts WHERE database = 'bench' AND active")
              .get(0)
              .getLong(1));
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private interface Call {
    void run(int i) throws Exception;
  }

  private static void latency(String what, int calls, Call call) throws Exception {
    for (int i = 0; i < Math.min(20, calls); i++) {
      call.run(i); // warm-up
    }
    long[] nanos = new long[calls];
    for (int i = 0; i < calls; i++) {
      long t0 = System.nanoTime();
      call.run(i);
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    System.out.printf(
        "%-40s p50 %7.2f ms  p99 %7.2f ms  (%d calls)%n",
        what, nanos[calls / 2] / 1e6, nanos[(int) Math.ceil(calls * 0.99) - 1] / 1e6, calls);
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + TOKEN)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " → " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  private static void ingest(String base, int events, int clients) throws Exception {
    List<byte[]> bodies = new ArrayList<>();
    Random random = new Random(11);
    for (int b = 0; b < events / 500; b++) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 500; i++) {
        sb.append("{\"ts\":\"")
            .append(Instant.now())
            .append("\",\"level\":\"")
            .append(LEVELS[random.nextInt(LEVELS.length)])
            .append("\",\"service\":\"")
            .append(SERVICES[random.nextInt(SERVICES.length)])
            .append("\",\"msg\":\"GET /api/v1/orders/")
            .append(random.nextInt(100_000))
            .append(" completed\",\"status\":200,\"latency_ms\":")
            .append(random.nextInt(2000))
            .append("}\n");
      }
      bodies.add(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    AtomicLong next = new AtomicLong();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      futures.add(
          pool.submit(
              () -> {
                int i;
                while ((i = (int) next.getAndIncrement()) < bodies.size()) {
                  HttpResponse<String> r =
                      HTTP.send(
                          HttpRequest.newBuilder(URI.create(base + "/v1/logs"))
                              .header("Authorization", "Bearer " + TOKEN)
                              .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i)))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  if (r.statusCode() != 202) {
                    throw new IllegalStateException(r.statusCode() + " " + r.body());
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpuMicros = (os.getProcessCpuTime() - cpu0) / 1e3 / events;
    pool.shutdown();
    System.out.printf(
        "ingest POST /v1/logs (500/batch, %d clients): %,.0f events/s, %.2f µs CPU/event (gateway and load generator in one process)%n",
        clients, events / seconds, cpuMicros);
  }
}
