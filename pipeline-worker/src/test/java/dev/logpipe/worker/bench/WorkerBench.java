package dev.logpipe.worker.bench;

import com.clickhouse.client.api.Client;
import dev.logpipe.devservices.DevServices;
import dev.logpipe.worker.ConsumeCommand;
import dev.logpipe.worker.DevClickHouse;
import dev.logpipe.worker.config.LogTableSchema;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.config.PipelineConfigLoader;
import dev.logpipe.worker.detect.AnomalyScorer;
import dev.logpipe.worker.it.WorkerKafkaUser;
import dev.logpipe.worker.model.LogEvent;
import dev.logpipe.worker.parse.LogParser;
import dev.logpipe.worker.parse.ParseResult;
import dev.logpipe.worker.sink.ClickHouseBatchWriter;
import dev.logpipe.worker.sink.ClickHouseClients;
import dev.logpipe.worker.sink.RowBinaryEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Worker throughput benchmark (a program, not a test). Pre-fills a topic with realistic ~250-byte
 * JSON events, then, each {@code ROUNDS} times after a warm-up round, drains it with two
 * contenders: the worker at production defaults (Redis live views and dead-letter topic on, default
 * batch limits, default anomaly rules with burst detection, the batch ledger) and ClickHouse's own
 * Kafka table engine with a materialized view into a table of the same shape ({@link
 * KafkaEngineContender}). For each it reads the CPU time of every process involved from {@code
 * /proc} (worker JVM = this JVM, the ClickHouse server, Redis, and the Kafka broker for reference)
 * and prints µs CPU per event per process, events/s, medians, and the ratio of events per
 * CPU-second (worker + ClickHouse + Redis against Kafka engine + ClickHouse). Then the batch
 * ledger's share ({@link LedgerCost}). Each round also drains the topic with the worker logged in
 * as its own SCRAM user on the SASL listener ({@link WorkerKafkaUser}, the worker KafkaUser's
 * ACLs), as with the backend's Kafka authentication on, and prints its events/s and CPU against the
 * plaintext worker's (issue 14: within 5%). With {@code -Dceilings=true} each round also measures a
 * read-only Kafka consumer and inserts of pre-encoded rows.
 *
 * <p>Run from {@code pipeline-worker} with the test classpath: {@code java -cp
 * target/test-classes:target/classes:... dev.logpipe.worker.bench.WorkerBench [events]}.
 */
public final class WorkerBench {
  private static final int ROUNDS = Integer.getInteger("rounds", 3);
  private static final boolean CEILINGS = Boolean.getBoolean("ceilings");
  private static final int PARTITIONS = 2;
  private static final String TOPIC = "bench.events";
  private static final String DEAD_LETTERS = TOPIC + ".dlq";
  private static final String WORKER_JVM = "worker JVM";
  private static final String CLICKHOUSE = "ClickHouse";
  private static final String REDIS = "Redis";
  private static final String KAFKA = "Kafka broker";

  /** One contender's drain: events/s and µs CPU per event of each process. */
  record Sample(double eventsPerSecond, Map<String, Double> micros) {
    double total(List<String> charged) {
      return charged.stream().mapToDouble(micros::get).sum();
    }
  }

  private WorkerBench() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    Path dir = Path.of("target", "bench-worker-" + ProcessHandle.current().pid()).toAbsolutePath();
    System.out.printf("load average at start: %s%n", ProcessCpu.loadAverage());
    try (DevServices services =
        DevServices.start(
            dir,
            EnumSet.of(
                DevServices.Kind.KAFKA, DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS))) {
      long bytes = prefill(services.kafkaBootstrap(), events);
      System.out.printf(
          "prefilled %,d events, %.0f bytes/event%n", events, (double) bytes / events);
      Map<String, Long> pids = new LinkedHashMap<>();
      pids.put(WORKER_JVM, ProcessHandle.current().pid());
      pids.put(CLICKHOUSE, services.clickhouse().pid());
      pids.put(REDIS, services.redis().pid());
      pids.put(KAFKA, services.kafka().pid());
      ProcessCpu cpu = new ProcessCpu(pids);
      List<Sample> workers = new ArrayList<>();
      List<Sample> saslWorkers = new ArrayList<>();
      List<Sample> engines = new ArrayList<>();
      List<Double> readRates = new ArrayList<>();
      List<Double> insertRates = new ArrayList<>();
      try (Client client =
          ClickHouseClients.create(
              services.clickHouseUrl(), DevClickHouse.credentials(services), null)) {
        KafkaEngineContender engine = new KafkaEngineContender(client, "bench");
        // Round 0 warms the JIT (and ClickHouse) and is printed but left out of the medians.
        for (int round = 0; round <= ROUNDS; round++) {
          // Which of the two workers drains first alternates, so neither always meets a colder
          // or a busier machine.
          boolean saslFirst = round % 2 == 1;
          Sample sasl =
              saslFirst ? drainWithWorker(services, client, cpu, events, round, true) : null;
          Sample worker = drainWithWorker(services, client, cpu, events, round, false);
          if (!saslFirst) {
            sasl = drainWithWorker(services, client, cpu, events, round, true);
          }
          Sample kafkaEngine = drainWithEngine(services, engine, cpu, events, round);
          System.out.printf(
              "%s %d: worker %s%n         SASL   %s%n         engine %s | ratio %.2f%n",
              round == 0 ? "warm-up" : "round  ",
              round,
              describe(worker),
              describe(sasl),
              describe(kafkaEngine),
              ratio(worker, kafkaEngine));
          if (round == 0) {
            continue;
          }
          workers.add(worker);
          saslWorkers.add(sasl);
          engines.add(kafkaEngine);
          if (CEILINGS) {
            readRates.add(readOnly(services.kafkaBootstrap(), events, round));
            insertRates.add(insertPreEncoded(services, events, round));
            System.out.printf(
                "         ceilings: read-only %,.0f ev/s | pre-encoded insert %,.0f rows/s%n",
                readRates.get(round - 1), insertRates.get(round - 1));
          }
        }
        printMedians(workers, engines);
        printSasl(workers, saslWorkers);
        if (CEILINGS) {
          double ceiling = Math.min(median(readRates), median(insertRates));
          System.out.printf(
              "median ceilings: Kafka read-only %,.0f ev/s, pre-encoded insert %,.0f rows/s;"
                  + " worker / slower ceiling %.0f%% (target >= 50%%)%n",
              median(readRates),
              median(insertRates),
              100 * median(workers.stream().map(Sample::eventsPerSecond).toList()) / ceiling);
        }
        printLedgerCost(client, cpu, workers, events);
      }
      System.out.printf("load average at end: %s%n", ProcessCpu.loadAverage());
    }
  }

  /** What the worker is charged: its JVM, ClickHouse and Redis. */
  private static final List<String> WORKER_CHARGED = List.of(WORKER_JVM, CLICKHOUSE, REDIS);

  /** What the engine is charged: ClickHouse (Redis is idle; this JVM only counts rows). */
  private static final List<String> ENGINE_CHARGED = List.of(CLICKHOUSE, REDIS);

  /** Events per CPU-second of the worker over the engine's (the engine's µs over the worker's). */
  private static double ratio(Sample worker, Sample engine) {
    return engine.total(ENGINE_CHARGED) / worker.total(WORKER_CHARGED);
  }

  private static String describe(Sample s) {
    StringBuilder b =
        new StringBuilder(String.format("%,9.0f ev/s | µs CPU/event:", s.eventsPerSecond()));
    s.micros().forEach((name, micros) -> b.append(String.format(" %s %.2f", name, micros)));
    return b.toString();
  }

  private static void printMedians(List<Sample> workers, List<Sample> engines) {
    System.out.printf("%nmedians of %d rounds (µs CPU/event):%n", workers.size());
    System.out.printf("%-14s %12s %12s%n", "", "worker", "Kafka engine");
    System.out.printf(
        "%-14s %12.0f %12.0f%n",
        "events/s",
        median(workers.stream().map(Sample::eventsPerSecond).toList()),
        median(engines.stream().map(Sample::eventsPerSecond).toList()));
    for (String name : workers.get(0).micros().keySet()) {
      System.out.printf(
          "%-14s %12.2f %12.2f%n",
          name,
          median(workers.stream().map(s -> s.micros().get(name)).toList()),
          median(engines.stream().map(s -> s.micros().get(name)).toList()));
    }
    double worker = median(workers.stream().map(s -> s.total(WORKER_CHARGED)).toList());
    double engine = median(engines.stream().map(s -> s.total(ENGINE_CHARGED)).toList());
    System.out.printf(
        "%-14s %12.2f %12.2f   (worker: JVM+ClickHouse+Redis; engine: ClickHouse+Redis)%n",
        "total charged", worker, engine);
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < workers.size(); i++) {
      ratios.add(ratio(workers.get(i), engines.get(i)));
    }
    System.out.printf(
        "events per CPU-second, worker / Kafka engine: %.2f (median of per-round ratios %s;"
            + " goal >= 1.5)%n",
        engine / worker, ratios.stream().map(r -> String.format("%.2f", r)).toList());
    System.out.printf(
        "worker JVM: %.2f µs/event (goal <= 2.5 with live views on)%n",
        median(workers.stream().map(s -> s.micros().get(WORKER_JVM)).toList()));
  }

  /** The worker on the SASL listener as its own user against the plaintext worker. */
  private static void printSasl(List<Sample> plain, List<Sample> sasl) {
    double plainRate = median(plain.stream().map(Sample::eventsPerSecond).toList());
    double saslRate = median(sasl.stream().map(Sample::eventsPerSecond).toList());
    double plainJvm = median(plain.stream().map(s -> s.micros().get(WORKER_JVM)).toList());
    double saslJvm = median(sasl.stream().map(s -> s.micros().get(WORKER_JVM)).toList());
    double plainKafka = median(plain.stream().map(s -> s.micros().get(KAFKA)).toList());
    double saslKafka = median(sasl.stream().map(s -> s.micros().get(KAFKA)).toList());
    System.out.printf(
        "%nworker with SASL/SCRAM-SHA-512 as its own user vs plaintext (medians of %d rounds):"
            + " %,.0f vs %,.0f ev/s (ratio %.3f, goal >= 0.95); worker JVM %.2f vs %.2f µs/event;"
            + " Kafka broker %.2f vs %.2f µs/event%n",
        plain.size(),
        saslRate,
        plainRate,
        saslRate / plainRate,
        saslJvm,
        plainJvm,
        saslKafka,
        plainKafka);
  }

  private static void printLedgerCost(
      Client client, ProcessCpu cpu, List<Sample> workers, int events) throws Exception {
    LedgerCost.Writes writes = LedgerCost.writes(client, "bench", "bench_" + ROUNDS);
    ProcessCpu charged =
        new ProcessCpu(
            Map.of(WORKER_JVM, cpu.pids().get(WORKER_JVM), CLICKHOUSE, cpu.pids().get(CLICKHOUSE)));
    double perWrite = LedgerCost.microsPerWrite(client, "bench", "bench_" + ROUNDS, charged, 200);
    double roundMicros =
        median(workers.stream().map(s -> s.total(WORKER_CHARGED)).toList()) * events;
    System.out.printf(
        "%nledger: %d ledger inserts for %d batches in the last round (%.0f rows/batch);"
            + " one ledger write costs %.0f µs CPU (JVM + ClickHouse), so the ledger is %.2f%%"
            + " of the worker's CPU (goal < 3%%)%n",
        writes.ledgerInserts(),
        writes.batches(),
        (double) events / Math.max(1, writes.batches()),
        perWrite,
        100 * writes.ledgerInserts() * perWrite / roundMicros);
  }

  private static long prefill(String bootstrap, int events) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(TOPIC, PARTITIONS, (short) 1),
                  new NewTopic(DEAD_LETTERS, 1, (short) 1)))
          .all()
          .get();
    }
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "524288");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    String[] services = {
      "payments", "checkout", "search", "auth", "inventory", "shipping", "web", "api"
    };
    String[] levels = {"INFO", "INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
    Random random = new Random(1);
    long bytes = 0;
    long base = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < events; i++) {
        String level = levels[random.nextInt(levels.length)];
        byte[] value =
            ("{\"ts\":\""
                    + Instant.ofEpochMilli(base + i)
                    + "\",\"level\":\""
                    + level
                    + "\",\"service\":\""
                    + services[random.nextInt(services.length)]
                    + "\",\"msg\":\"GET /api/v1/orders/"
                    + random.nextInt(100_000)
                    + " completed\",\"host\":\"node-"
                    + random.nextInt(20)
                    + "\",\"trace_id\":\""
                    + Long.toHexString(random.nextLong())
                    + "\",\"status\":"
                    + (level.equals("ERROR") ? 502 : 200)
                    + ",\"latency_ms\":"
                    + random.nextInt(2000)
                    + ",\"region\":\"europe-west1\",\"user_agent\":\"curl/8.5\"}")
                .getBytes(StandardCharsets.UTF_8);
        bytes += value.length;
        producer.send(new ProducerRecord<>(TOPIC, value));
      }
      producer.flush();
    }
    return bytes;
  }

  /** The worker pod's environment: listener and the dev ClickHouse's credentials. */
  private static Map<String, String> workerEnv(DevServices services) {
    Map<String, String> env = new HashMap<>(DevClickHouse.env(DevClickHouse.credentials(services)));
    env.put("LOGPIPE_HTTP_PORT", "0");
    env.put("LOGPIPE_HTTP_HOST", "127.0.0.1");
    return env;
  }

  /**
   * The worker as the operator configures it by default (PipelineConfigFactory): dead-letter topic,
   * Redis live views with 500 recent per service, 1,000 anomalies, a day's TTL; default format,
   * rules, burst detection and batch limits.
   */
  private static PipelineConfig workerConfig(
      DevServices services, String table, int round, boolean sasl) {
    PipelineConfig.Kafka kafka =
        new PipelineConfig.Kafka(
            services.kafkaBootstrap(),
            TOPIC,
            (sasl ? "bench-worker-sasl-" : "bench-worker-") + round,
            DEAD_LETTERS,
            null);
    return PipelineConfigLoader.withDefaults(
        new PipelineConfig(
            new PipelineConfig.Pipeline("bench", table),
            sasl ? WorkerKafkaUser.onScramListener(services, kafka) : kafka,
            new PipelineConfig.ClickHouse(services.clickHouseUrl(), "bench", table),
            new PipelineConfig.Redis(
                services.redisUrl(), "logpipe:bench:" + table + ":", 500, 1_000, 86_400),
            null,
            null,
            null));
  }

  private static Sample drainWithWorker(
      DevServices services, Client client, ProcessCpu cpu, int events, int round, boolean sasl)
      throws Exception {
    String table = (sasl ? "bench_sasl_" : "bench_") + round;
    for (String sql : LogTableSchema.create("bench", table, 3650)) {
      client.execute(sql).get().close();
    }
    PipelineConfig config = workerConfig(services, table, round, sasl);
    if (!config.validate().isEmpty()) {
      throw new IllegalStateException(config.validate().toString());
    }
    Map<String, String> env = workerEnv(services);
    if (sasl) {
      env.putAll(WorkerKafkaUser.create(services, config.kafka()).env());
    }
    ConsumeCommand worker = ConsumeCommand.fromEnvironment(config, env);
    Thread thread = new Thread(worker::run, "bench-worker");
    Map<String, Long> before = cpu.read();
    long t0 = System.nanoTime();
    thread.start();
    while (worker.metrics().storedTotal() < events) {
      Thread.sleep(20);
    }
    long elapsed = System.nanoTime() - t0;
    Map<String, Long> after = cpu.read();
    worker.shutdown();
    thread.join();
    long stored = new KafkaEngineContender(client, "bench").count(table);
    if (stored != events) {
      throw new IllegalStateException("worker stored " + stored + " rows of " + events);
    }
    return new Sample(events / (elapsed / 1e9), ProcessCpu.microsPerEvent(before, after, events));
  }

  /**
   * The Kafka engine drains the topic: from the view's creation until every row is in the table
   * (counted every 100 ms; the counting queries are charged to ClickHouse, a few ms per second).
   */
  private static Sample drainWithEngine(
      DevServices services, KafkaEngineContender engine, ProcessCpu cpu, int events, int round)
      throws Exception {
    String table = "engine_" + round;
    engine.prepare(table, services.kafkaBootstrap(), TOPIC, "bench-engine-" + round);
    Map<String, Long> before = cpu.read();
    long t0 = System.nanoTime();
    engine.start(table);
    long deadline = t0 + 300_000_000_000L;
    long count;
    while ((count = engine.count(table)) < events) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Kafka engine stored " + count + " rows of " + events);
      }
      Thread.sleep(100);
    }
    long elapsed = System.nanoTime() - t0;
    Map<String, Long> after = cpu.read();
    engine.stop(table);
    if (count != events) {
      throw new IllegalStateException("Kafka engine stored " + count + " rows of " + events);
    }
    return new Sample(events / (elapsed / 1e9), ProcessCpu.microsPerEvent(before, after, events));
  }

  private static double readOnly(String bootstrap, int events, int round) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-read-" + round);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    long count = 0;
    long checksum = 0;
    long t0 = System.nanoTime();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      while (count < events) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          count++;
          checksum += r.value().length;
        }
      }
    }
    double rate = count / ((System.nanoTime() - t0) / 1e9);
    return checksum > 0 ? rate : 0;
  }

  /** The same rows, parsed and encoded before the clock starts, inserted in 50k-row batches. */
  private static double insertPreEncoded(DevServices services, int events, int round)
      throws Exception {
    List<byte[]> batches = encodeAll(services.kafkaBootstrap(), events, round);
    String table = "ceiling_" + round;
    try (Client client =
        ClickHouseClients.create(
            services.clickHouseUrl(), DevClickHouse.credentials(services), "bench")) {
      client.execute(LogTableSchema.createTable("bench", table, 3650)).get().close();
      ClickHouseBatchWriter writer = new ClickHouseBatchWriter(client, "bench", table, 60);
      long t0 = System.nanoTime();
      int i = 0;
      for (byte[] batch : batches) {
        writer.insert(out -> out.write(batch), "ceiling-" + round + "-" + i++);
      }
      return events / ((System.nanoTime() - t0) / 1e9);
    }
  }

  private static List<byte[]> encodeAll(String bootstrap, int events, int round) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-encode-" + round);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    LogParser parser = LogParser.forFormat(new PipelineConfig.Format("json", null, null, null));
    AnomalyScorer scorer =
        AnomalyScorer.fromConfig(
            PipelineConfigLoader.withDefaults(
                    new PipelineConfig(null, null, null, null, null, null, null))
                .anomalies());
    List<byte[]> batches = new ArrayList<>();
    RowBinaryEncoder encoder = new RowBinaryEncoder(16 << 20);
    int count = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      while (count < events) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          ParseResult result = parser.parse(r.value(), r.timestamp());
          LogEvent e = result.event().source(r.partition(), r.offset()).ingestedAtMs(r.timestamp());
          scorer.score(e);
          encoder.encode(e);
          if (++count % 50_000 == 0) {
            batches.add(encoder.toByteArray());
            encoder.reset();
          }
        }
      }
    }
    if (encoder.rows() > 0) {
      batches.add(encoder.toByteArray());
    }
    return batches;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
