package dev.logpipe.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.worker.consume.DeadLetterPublisher;
import dev.logpipe.worker.sink.BatchLedger;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

@WithDevServices
class PipelineFlowIT {

  @Test
  void storesEveryValidEventOnceDeadLettersTheRestAndFillsRedis(DevServices services)
      throws Exception {
    TestPipeline pipeline = TestPipeline.create(services, "flow", true, null);
    LogGenerator generator = new LogGenerator(services.kafkaBootstrap(), pipeline.topic(), 50);
    try (RunningWorker worker = new RunningWorker(pipeline.config())) {
      generator.send(100_000);
      generator.close();
      await()
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> pipeline.storedRows() >= generator.valid);
      assertThat(generator.valid).isEqualTo(98_000);
      assertThat(pipeline.storedRows()).isEqualTo(generator.valid);
      assertThat(pipeline.duplicatePositions()).isZero();
      assertThat(pipeline.scalar("SELECT countIf(level = 'ERROR') FROM logs_it.flow"))
          .isEqualTo(generator.errors);
      assertThat(
              pipeline.scalar(
                  "SELECT countIf(has(anomaly_reasons, 'error-level')) FROM logs_it.flow"))
          .isEqualTo(generator.errors);
      assertThat(
              pipeline.scalar(
                  "SELECT count() FROM logs_it.flow WHERE attributes['region'] = 'eu-west-1'"))
          .isEqualTo(generator.valid);

      Map<String, Integer> reasons =
          deadLetterReasons(services, pipeline.topic() + ".dlq", (int) generator.malformed);
      assertThat(reasons.values().stream().mapToInt(Integer::intValue).sum())
          .isEqualTo(generator.malformed);
      assertThat(reasons).containsKeys("invalid_json", "invalid_utf8", "not_an_object");

      RedisClient redis = RedisClient.create(services.redisUrl());
      try (StatefulRedisConnection<String, String> connection = redis.connect()) {
        RedisCommands<String, String> r = connection.sync();
        await().atMost(Duration.ofSeconds(30)).until(() -> countInRedis(r) == generator.valid);
        for (String service : LogGenerator.SERVICES) {
          assertThat(r.llen("logpipe:it:flow:recent:" + service)).isEqualTo(50);
        }
        assertThat(r.xlen("logpipe:it:flow:anomalies")).isBetween(1L, 1100L);
        assertThat(r.ttl("logpipe:it:flow:anomalies")).isPositive();
      } finally {
        redis.shutdown();
      }

      String metrics = worker.get("/metrics").body();
      assertThat(metrics)
          .contains("logpipe_rows_stored_total{namespace=\"it\",pipeline=\"flow\"} 98000.0");
      Scrape scrape = new Scrape(metrics);
      assertThat(scrape.sum("logpipe_records_consumed_total")).isEqualTo(100_000);
      assertThat(scrape.sum("logpipe_rows_stored_total")).isEqualTo(generator.valid);
      assertThat(scrape.sum("logpipe_dead_lettered_total")).isEqualTo(generator.malformed);
      Map<String, Double> deadLetteredByReason = new HashMap<>();
      reasons.forEach((reason, n) -> deadLetteredByReason.put(reason, n.doubleValue()));
      assertThat(scrape.byLabel("logpipe_dead_lettered_total", "reason"))
          .isEqualTo(deadLetteredByReason);
      long anomalous = pipeline.scalar("SELECT countIf(anomaly_score > 0) FROM logs_it.flow");
      assertThat(anomalous).isGreaterThanOrEqualTo(generator.errors);
      assertThat(scrape.sum("logpipe_anomalies_total")).isEqualTo(anomalous);
      assertThat(scrape.sum("logpipe_insert_failures_total")).isZero();
      assertThat(worker.get("/readyz").statusCode()).isEqualTo(200);
      assertThat(worker.get("/healthz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aFiveMegabyteLineIsDeadLetteredTruncatedWithItsReasonAndSize(DevServices services)
      throws Exception {
    TestPipeline pipeline = TestPipeline.create(services, "huge", false, null);
    int size = 5 * 1024 * 1024;
    // Realistic filler (not compressible to nothing), sent uncompressed: the broker sees 5 MB.
    StringBuilder line = new StringBuilder(size).append("{\"level\":\"INFO\",\"msg\":\"");
    java.util.Random random = new java.util.Random(7);
    while (line.length() < size - 2) {
      line.append((char) ('a' + random.nextInt(26)));
    }
    byte[] huge = line.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    assertThat(huge).hasSize(size);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrap());
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(6 * 1024 * 1024));
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    RecordMetadata big;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      byte[] key = "k".getBytes(StandardCharsets.UTF_8);
      producer.send(new ProducerRecord<>(pipeline.topic(), key, line("before"))).get();
      big = producer.send(new ProducerRecord<>(pipeline.topic(), key, huge)).get();
      producer.send(new ProducerRecord<>(pipeline.topic(), key, line("after"))).get();
    }
    try (RunningWorker worker = new RunningWorker(pipeline.config())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.storedRows() >= 2);
      List<ConsumerRecord<byte[], byte[]>> dead =
          deadLetters(services, pipeline.topic() + ".dlq", 1);
      assertThat(dead).hasSize(1);
      ConsumerRecord<byte[], byte[]> record = dead.get(0);
      assertThat(record.value()).hasSize(512 * 1024);
      assertThat(record.value()).isEqualTo(java.util.Arrays.copyOf(huge, 512 * 1024));
      assertThat(header(record, DeadLetterPublisher.REASON)).isEqualTo("too_large");
      assertThat(header(record, DeadLetterPublisher.DETAIL))
          .isEqualTo("record is " + size + " bytes, the limit is 1048576");
      assertThat(header(record, DeadLetterPublisher.ORIGINAL_SIZE)).isEqualTo(String.valueOf(size));
      assertThat(header(record, DeadLetterPublisher.SOURCE_TOPIC)).isEqualTo(pipeline.topic());
      assertThat(header(record, DeadLetterPublisher.SOURCE_PARTITION))
          .isEqualTo(String.valueOf(big.partition()));
      assertThat(header(record, DeadLetterPublisher.SOURCE_OFFSET))
          .isEqualTo(String.valueOf(big.offset()));
      assertThat(header(record, DeadLetterPublisher.PIPELINE)).isEqualTo("it/huge");
      assertThat(pipeline.storedRows()).isEqualTo(2);
      assertThat(
              pipeline.scalar("SELECT countIf(message IN ('before', 'after')) FROM logs_it.huge"))
          .isEqualTo(2);
      assertThat(
              new Scrape(worker.get("/metrics").body())
                  .byLabel("logpipe_dead_lettered_total", "reason"))
          .isEqualTo(Map.of("too_large", 1.0));
      // Committed past the big record: nothing is read again.
      await().atMost(Duration.ofSeconds(10)).until(pipeline::everythingCommitted);
    }
  }

  private static byte[] line(String message) {
    return ("{\"level\":\"INFO\",\"service\":\"api\",\"msg\":\"" + message + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return record.headers().lastHeader(name) == null
        ? null
        : new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void rowsStoredButNotConfirmedOrCommittedAreSkippedNotStoredAgain(DevServices services)
      throws Exception {
    TestPipeline pipeline = TestPipeline.create(services, "replay", false, null);
    try (LogGenerator generator =
        new LogGenerator(services.kafkaBootstrap(), pipeline.topic(), 0)) {
      generator.send(3_000);
    }
    // Simulate a worker that recorded a batch in the ledger, stored it and died before confirming
    // or committing it: the first 400 offsets of every partition are in the table, nothing else.
    java.util.Map<Integer, Long> ends = pipeline.endOffsets();
    dev.logpipe.worker.sink.RowBinaryEncoder rows =
        new dev.logpipe.worker.sink.RowBinaryEncoder(1 << 20);
    List<BatchLedger.Range> ranges = new java.util.ArrayList<>();
    long preStored = 0;
    for (var end : ends.entrySet()) {
      long last = Math.min(400, end.getValue()) - 1;
      if (last < 0) {
        continue; // the producer put nothing in this partition
      }
      ranges.add(new BatchLedger.Range(end.getKey(), 0, last));
      for (long offset = 0; offset <= last; offset++) {
        rows.encode(
            new dev.logpipe.worker.model.LogEvent()
                // within the generator's timestamps, as the dead worker's rows would be
                .timestampMs(1_763_000_001_000L)
                .service("pre")
                .source(end.getKey(), offset));
        preStored++;
      }
    }
    String topicId;
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", services.kafkaBootstrap()))) {
      topicId =
          admin
              .describeTopics(List.of(pipeline.topic()))
              .allTopicNames()
              .get()
              .get(pipeline.topic())
              .topicId()
              .toString();
    }
    try (com.clickhouse.client.api.Client client = TestPipeline.clickHouse(services)) {
      new BatchLedger(client, "logs_it", "replay", 30)
          .write(List.of(new BatchLedger.Entry(topicId, "pre", ranges, false)));
      new dev.logpipe.worker.sink.ClickHouseBatchWriter(client, "logs_it", "replay", 30)
          .insert(rows::writeTo, "pre");
    }
    try (RunningWorker worker = new RunningWorker(pipeline.config())) {
      await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.storedRows() >= 3_000);
      assertThat(pipeline.storedRows()).isEqualTo(3_000);
      assertThat(pipeline.duplicatePositions()).isZero();
      assertThat(pipeline.scalar("SELECT count() FROM logs_it.replay WHERE service = 'pre'"))
          .isEqualTo(preStored);
    }
  }

  private static long countInRedis(RedisCommands<String, String> r) {
    long total = 0;
    for (String key : r.keys("logpipe:it:flow:counts:*")) {
      for (String v : r.hvals(key)) {
        total += Long.parseLong(v);
      }
    }
    return total;
  }

  static Map<String, Integer> deadLetterReasons(DevServices services, String topic, int expected) {
    Map<String, Integer> reasons = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : deadLetters(services, topic, expected)) {
      assertThat(record.headers().lastHeader(DeadLetterPublisher.SOURCE_OFFSET)).isNotNull();
      assertThat(record.headers().lastHeader(DeadLetterPublisher.DETAIL)).isNotNull();
      reasons.merge(header(record, DeadLetterPublisher.REASON), 1, Integer::sum);
    }
    return reasons;
  }

  /** Reads {@code expected} records of the dead-letter topic, then checks nothing else is there. */
  static List<ConsumerRecord<byte[], byte[]>> deadLetters(
      DevServices services, String topic, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrap());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
      // Nothing beyond what was rejected: a short extra poll finds no more.
      assertThat(consumer.poll(Duration.ofSeconds(1)).count()).isZero();
    }
    return records;
  }
}
