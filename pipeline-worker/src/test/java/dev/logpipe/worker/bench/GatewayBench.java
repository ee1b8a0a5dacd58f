package dev.logpipe.worker.bench;

import com.clickhouse.client.api.Client;
import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.process.ChildProcess;
import dev.logpipe.devservices.process.Ports;
import dev.logpipe.worker.DevClickHouse;
import dev.logpipe.worker.WorkerMain;
import dev.logpipe.worker.config.LogTableSchema;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.config.PipelineConfigLoader;
import dev.logpipe.worker.consume.ReliableProducer;
import dev.logpipe.worker.it.ExplorerTimings;
import dev.logpipe.worker.model.LogEvent;
import dev.logpipe.worker.sink.ClickHouseBatchWriter;
import dev.logpipe.worker.sink.ClickHouseClients;
import dev.logpipe.worker.sink.RowBinaryEncoder;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Gateway benchmark (a program, not a test). Stores {@code events} rows (default 10M) spread over
 * the last 24 h directly in ClickHouse, then measures through the gateway's HTTP API: p50/p99 of a
 * filtered {@code GET /v1/logs}, of a 24 h {@code GET /v1/stats}, of the same queries answered from
 * the Redis cache, and ingest events/s through {@code POST /v1/logs} in batches of 500 with process
 * CPU per event. The ceiling printed beside the query figures is ClickHouse answering {@code SELECT
 * 1} through the same client path.
 *
 * <p>With {@code --explorer}, the log explorer's figures ({@link ExplorerTimings}: first paint,
 * uncached searches clicked in headless Chromium) are measured against the same gateway and rows.
 *
 * <p>Run: {@code bin/bench pipeline-worker dev.logpipe.worker.bench.GatewayBench [events]
 * [--explorer]}
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
    List<String> arguments = new ArrayList<>(Arrays.asList(args));
    boolean explorer = arguments.remove("--explorer");
    int events = arguments.isEmpty() ? 10_000_000 : Integer.parseInt(arguments.get(0));
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
      // The gateway runs in its own JVM, as in a pod, so the load generator's threads and heap do
      // not share its CPU time accounting or its GC pauses.
      Path configFile = dir.resolve("gateway.json");
      Files.writeString(configFile, PipelineConfigLoader.toJson(config));
      int port = Ports.free();
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(
          Arrays.asList(System.getenv().getOrDefault("GATEWAY_JAVA_OPTS", "-Xmx512m").split(" ")));
      command.addAll(
          List.of(
              "-cp",
              Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                  .map(entry -> Path.of(entry).toAbsolutePath().toString())
                  .collect(Collectors.joining(File.pathSeparator)),
              WorkerMain.class.getName(),
              "gateway",
              "--config",
              configFile.toString()));
      ChildProcess gateway =
          ChildProcess.start(
              "gateway", command, gatewayEnv(services, port), dir, dir.resolve("gateway.log"));
      try {
        gateway.awaitReady(() -> Ports.accepts(port), Duration.ofSeconds(60));
        String base = "http://127.0.0.1:" + port;
        Random random = new Random(5);
        try (Client ceiling =
            ClickHouseClients.create(
                services.clickHouseUrl(), DevClickHouse.credentials(services), null)) {
          latency(
              "ceiling: ClickHouse SELECT 1 via client", 200, i -> ceiling.queryAll("SELECT 1"));
        }
        // Uncached figures: every call is a query the gateway has not seen (the window's end moves
        // back one second per call), and the bench fails if one is answered from the cache.
        Instant end = Instant.now();
        latency(
            "filtered GET /v1/logs (uncached)",
            200,
            i ->
                get(
                    base
                        + "/v1/logs?from="
                        + end.minusSeconds(i).minus(Duration.ofHours(24))
                        + "&to="
                        + end.minusSeconds(i)
                        + "&service="
                        + SERVICES[random.nextInt(SERVICES.length)]
                        + "&level=ERROR&limit=100&min_score="
                        + (i % 50),
                    false));
        // The dashboard query: served from the per-minute rollup plus the partial minutes at the
        // edges of the window.
        latency(
            "24 h GET /v1/stats (uncached)",
            100,
            i ->
                get(
                    base
                        + "/v1/stats?from="
                        + end.minusSeconds(i).minus(Duration.ofHours(24))
                        + "&to="
                        + end.minusSeconds(i)
                        + "&interval="
                        + (i % 2 == 0 ? "15m" : "1h")
                        + (i % 3 == 0 ? "" : "&level=" + LEVELS[i % LEVELS.length]),
                    false));
        // With a text filter the rollup cannot answer: every message of the day is scanned.
        latency(
            "24 h GET /v1/stats?q= (uncached, full scan)",
            20,
            i -> get(base + "/v1/stats?from=24h&interval=1h&q=in%20" + i, false));
        // Cached figures: a settled window (ended ten minutes ago). A window that reaches the
        // present is cached for at most half a second (CacheLifetime), so it would mostly miss.
        String settled =
            "from="
                + end.minus(Duration.ofHours(24)).minus(Duration.ofMinutes(10))
                + "&to="
                + end.minus(Duration.ofMinutes(10));
        String logs = base + "/v1/logs?" + settled + "&service=payments&level=ERROR&limit=100";
        String stats = base + "/v1/stats?" + settled + "&interval=1h";
        get(logs, null);
        get(stats, null);
        // Cached answers take about a millisecond, so the machine's scheduling noise shows in
        // their p99: the HTTP-only ceiling runs interleaved with them, call for call, so both see
        // the same noise.
        Map<String, Call> cached = new LinkedHashMap<>();
        cached.put("ceiling: GET /healthz (HTTP only)", i -> get(base + "/healthz", null));
        cached.put("filtered GET /v1/logs (cached)", i -> get(logs, true));
        cached.put("24 h GET /v1/stats (cached)", i -> get(stats, true));
        interleaved(5000, 3000, cached);
        if (explorer) {
          ExplorerTimings.main(new String[] {base, TOKEN});
        }
        ingest(base, config, 200_000, 4, gateway.pid());
      } finally {
        gateway.stop(Duration.ofSeconds(10));
      }
    }
  }

  /** The gateway pod's environment: token, listener, and the dev ClickHouse's credentials. */
  private static Map<String, String> gatewayEnv(DevServices services, int port) {
    Map<String, String> env = new HashMap<>(DevClickHouse.env(DevClickHouse.credentials(services)));
    env.put("LOGPIPE_GATEWAY_TOKEN", TOKEN);
    env.put("LOGPIPE_HTTP_HOST", "127.0.0.1");
    env.put("LOGPIPE_HTTP_PORT", String.valueOf(port));
    return env;
  }

  private static void load(DevServices services, int events, Instant now) throws Exception {
    try (Client client =
        ClickHouseClients.create(
            services.clickHouseUrl(), DevClickHouse.credentials(services), null)) {
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
        ClickHouseClients.create(
            services.clickHouseUrl(), DevClickHouse.credentials(services), null)) {
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
      call.run(calls + i); // warm-up, with indices the measured calls do not use
    }
    long[] nanos = new long[calls];
    for (int i = 0; i < calls; i++) {
      long t0 = System.nanoTime();
      call.run(i);
      nanos[i] = System.nanoTime() - t0;
    }
    print(what, nanos);
  }

  /**
   * Runs the calls round-robin, {@code warmups} unmeasured rounds first (enough for the JIT to
   * finish compiling cheap paths), then {@code rounds} measured ones, and prints each one's
   * figures.
   */
  private static void interleaved(int warmups, int rounds, Map<String, Call> calls)
      throws Exception {
    for (int i = 0; i < warmups; i++) {
      for (Call call : calls.values()) {
        call.run(rounds + i);
      }
    }
    Map<String, long[]> nanos = new LinkedHashMap<>();
    calls.keySet().forEach(what -> nanos.put(what, new long[rounds]));
    for (int i = 0; i < rounds; i++) {
      for (Map.Entry<String, Call> call : calls.entrySet()) {
        long t0 = System.nanoTime();
        call.getValue().run(i);
        nanos.get(call.getKey())[i] = System.nanoTime() - t0;
      }
    }
    nanos.forEach(GatewayBench::print);
  }

  private static void print(String what, long[] nanos) {
    Arrays.sort(nanos);
    int calls = nanos.length;
    System.out.printf(
        "%-44s p50 %7.2f ms  p99 %7.2f ms  (%d calls)%n",
        what, nanos[calls / 2] / 1e6, nanos[(int) Math.ceil(calls * 0.99) - 1] / 1e6, calls);
  }

  /** GETs {@code url}; {@code cached} says whether the answer must (not) come from the cache. */
  private static String get(String url, Boolean cached) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + TOKEN)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " → " + r.statusCode() + " " + r.body());
    }
    boolean hit = "HIT".equals(r.headers().firstValue("X-Cache").orElse(""));
    if (cached != null && hit != cached) {
      throw new IllegalStateException(url + " → cache " + (hit ? "hit" : "miss") + " unexpected");
    }
    return r.body();
  }

  /**
   * Ingest through {@code POST /v1/logs}: one unmeasured warm-up round, then three measured rounds
   * of {@code events} events; prints the median round. The ceiling, measured in the same run, is a
   * producer with the gateway's settings sending the same records straight to Kafka from this
   * process (no HTTP, no validation).
   */
  private static void ingest(
      String base, PipelineConfig config, int events, int clients, long gatewayPid)
      throws Exception {
    List<byte[]> bodies = ingestBodies(events);
    ProcessHandle gateway = ProcessHandle.of(gatewayPid).orElseThrow();
    ingestRound(base, bodies.subList(0, bodies.size() / 4), clients);
    double[][] rounds = new double[3][];
    for (int r = 0; r < rounds.length; r++) {
      Duration cpu0 = gateway.info().totalCpuDuration().orElseThrow();
      double seconds = ingestRound(base, bodies, clients);
      double cpu = gateway.info().totalCpuDuration().orElseThrow().minus(cpu0).toNanos() / 1e3;
      rounds[r] = new double[] {events / seconds, cpu / events};
    }
    Arrays.sort(rounds, (x, y) -> Double.compare(x[0], y[0]));
    double ceiling = producerCeiling(config, bodies);
    System.out.printf(
        "ingest POST /v1/logs (500/batch, %d clients):  %,.0f events/s (median of 3, rounds %,.0f..%,.0f), %.2f µs CPU/event in the gateway process%n",
        clients, rounds[1][0], rounds[0][0], rounds[2][0], rounds[1][1]);
    System.out.printf(
        "ceiling: same records produced straight to Kafka: %,.0f events/s → gateway at %.0f%%%n",
        ceiling, 100 * rounds[1][0] / ceiling);
  }

  private static List<byte[]> ingestBodies(int events) {
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
    return bodies;
  }

  /** Posts every body with {@code clients} concurrent clients; returns the seconds it took. */
  private static double ingestRound(String base, List<byte[]> bodies, int clients)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    AtomicLong next = new AtomicLong();
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
    pool.shutdown();
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Events/s of the gateway's producer settings sending the bodies' records, acks awaited. */
  private static double producerCeiling(PipelineConfig config, List<byte[]> bodies)
      throws Exception {
    List<byte[]> records = new ArrayList<>();
    for (byte[] body : bodies) {
      for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
        records.add(line.getBytes(StandardCharsets.UTF_8));
      }
    }
    Properties props =
        ReliableProducer.properties(
            config, "bench-ceiling", Duration.ofSeconds(30), Duration.ofSeconds(60));
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.partitionsFor(config.kafka().topic());
      long t0 = System.nanoTime();
      List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
      for (byte[] record : records) {
        acks.add(producer.send(new ProducerRecord<>(config.kafka().topic(), record)));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
      return records.size() / ((System.nanoTime() - t0) / 1e9);
    }
  }
}
