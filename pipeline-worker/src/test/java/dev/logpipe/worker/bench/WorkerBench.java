package dev.logpipe.worker.bench;

import com.clickhouse.client.api.Client;
import dev.logpipe.devservices.DevServices;
import dev.logpipe.worker.ConsumeCommand;
import dev.logpipe.worker.DevClickHouse;
import dev.logpipe.worker.config.LogTableSchema;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.config.PipelineConfigLoader;
import dev.logpipe.worker.detect.AnomalyScorer;
import dev.logpipe.worker.model.LogEvent;
import dev.logpipe.worker.parse.LogParser;
import dev.logpipe.worker.parse.ParseResult;
import dev.logpipe.worker.sink.ClickHouseBatchWriter;
import dev.logpipe.worker.sink.ClickHouseClients;
import dev.logpipe.worker.sink.RowBinaryEncoder;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
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
 * JSON events, then in the same run measures, each {@code ROUNDS} times: the worker draining the
 * topic into ClickHouse (events/s and process CPU per event), a Kafka consumer that only reads the
 * topic, and inserts of the same rows pre-encoded in RowBinary. Prints medians and the ratio of the
 * worker to the slower ceiling.
 *
 * <p>Run: {@code bin/bench pipeline-worker dev.logpipe.worker.bench.WorkerBench [events]}
 */
public final class WorkerBench {
  private static final int ROUNDS = Integer.getInteger("rounds", 3);
  private static final int PARTITIONS = 2;
  private static final String TOPIC = "bench.events";

  private WorkerBench() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    Path dir = Path.of("target", "bench-worker-" + ProcessHandle.current().pid()).toAbsolutePath();
    try (DevServices services =
        DevServices.start(dir, EnumSet.of(DevServices.Kind.KAFKA, DevServices.Kind.CLICKHOUSE))) {
      long bytes = prefill(services.kafkaBootstrap(), events);
      System.out.printf(
          "prefilled %,d events, %.0f bytes/event%n", events, (double) bytes / events);
      List<Double> workerRates = new ArrayList<>();
      List<Double> cpuPerEvent = new ArrayList<>();
      List<Double> readRates = new ArrayList<>();
      List<Double> insertRates = new ArrayList<>();
      // Round 0 warms the JIT and is reported but left out of the medians.
      for (int round = 0; round <= ROUNDS; round++) {
        double[] worker = drainWithWorker(services, events, round);
        if (round == 0) {
          System.out.printf(
              "warm-up: worker %,.0f ev/s (%.2f µs CPU/event)%n", worker[0], worker[1]);
          continue;
        }
        workerRates.add(worker[0]);
        cpuPerEvent.add(worker[1]);
        if (Boolean.getBoolean("workerOnly")) {
          System.out.printf("worker %,.0f ev/s (%.2f µs CPU/event)%n", worker[0], worker[1]);
          continue;
        }
        readRates.add(readOnly(services.kafkaBootstrap(), events, round));
        insertRates.add(insertPreEncoded(services, events, round));
        System.out.printf(
            "round %d: worker %,.0f ev/s (%.2f µs CPU/event) | read-only %,.0f ev/s | pre-encoded insert %,.0f rows/s%n",
            round, worker[0], worker[1], readRates.get(round - 1), insertRates.get(round - 1));
      }
      if (Boolean.getBoolean("workerOnly")) {
        return;
      }
      double worker = median(workerRates);
      double ceiling = Math.min(median(readRates), median(insertRates));
      System.out.printf("%nmedian worker end-to-end: %,.0f events/s%n", worker);
      System.out.printf("median worker CPU: %.2f µs/event (target <= 3)%n", median(cpuPerEvent));
      System.out.printf("median ceiling, Kafka read-only: %,.0f events/s%n", median(readRates));
      System.out.printf(
          "median ceiling, pre-encoded RowBinary insert: %,.0f rows/s%n", median(insertRates));
      System.out.printf(
          "worker / slower ceiling: %.0f%% (target >= 50%%)%n", 100 * worker / ceiling);
    }
  }

  private static long prefill(String bootstrap, int events) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
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

  /** Returns {events per second, process CPU µs per event}. */
  /** The worker pod's environment: listener and the dev ClickHouse's credentials. */
  private static Map<String, String> workerEnv(DevServices services) {
    Map<String, String> env = new HashMap<>(DevClickHouse.env(DevClickHouse.credentials(services)));
    env.put("LOGPIPE_HTTP_PORT", "0");
    env.put("LOGPIPE_HTTP_HOST", "127.0.0.1");
    return env;
  }

  private static double[] drainWithWorker(DevServices services, int events, int round)
      throws Exception {
    String table = "bench_" + round;
    try (Client client =
        ClickHouseClients.create(
            services.clickHouseUrl(), DevClickHouse.credentials(services), null)) {
      for (String sql : LogTableSchema.create("bench", table, 3650)) {
        client.execute(sql).get().close();
      }
    }
    PipelineConfig config =
        PipelineConfigLoader.withDefaults(
            new PipelineConfig(
                new PipelineConfig.Pipeline("bench", table),
                new PipelineConfig.Kafka(
                    services.kafkaBootstrap(), TOPIC, "bench-worker-" + round, null, null),
                new PipelineConfig.ClickHouse(services.clickHouseUrl(), "bench", table),
                null,
                null,
                null,
                null));
    ConsumeCommand worker = ConsumeCommand.fromEnvironment(config, workerEnv(services));
    Thread thread = new Thread(worker::run, "bench-worker");
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    thread.start();
    while (worker.metrics().storedTotal() < events) {
      Thread.sleep(20);
    }
    long elapsed = System.nanoTime() - t0;
    long cpu = os.getProcessCpuTime() - cpu0;
    worker.shutdown();
    thread.join();
    return new double[] {events / (elapsed / 1e9), cpu / 1e3 / events};
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
