package dev.logpipe.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.worker.consume.DeadLetterPublisher;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
      assertThat(worker.get("/readyz").statusCode()).isEqualTo(200);
      assertThat(worker.get("/healthz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void rowsStoredButNotCommittedAreSkippedNotStoredAgain(DevServices services) throws Exception {
    TestPipeline pipeline = TestPipeline.create(services, "replay", false, null);
    try (LogGenerator generator =
        new LogGenerator(services.kafkaBootstrap(), pipeline.topic(), 0)) {
      generator.send(3_000);
    }
    // Simulate a worker that stored a batch and died before committing: the first 400 offsets of
    // every partition are in the table, nothing is committed.
    java.util.Map<Integer, Long> ends = endOffsets(services, pipeline.topic());
    dev.logpipe.worker.sink.RowBinaryEncoder rows =
        new dev.logpipe.worker.sink.RowBinaryEncoder(1 << 20);
    long preStored = 0;
    for (var end : ends.entrySet()) {
      for (long offset = 0; offset < Math.min(400, end.getValue()); offset++) {
        rows.encode(
            new dev.logpipe.worker.model.LogEvent()
                .timestampMs(System.currentTimeMillis())
                .service("pre")
                .source(end.getKey(), offset));
        preStored++;
      }
    }
    try (com.clickhouse.client.api.Client client = TestPipeline.clickHouse(services)) {
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

  private static java.util.Map<Integer, Long> endOffsets(DevServices services, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            java.util.Map.<String, Object>of("bootstrap.servers", services.kafkaBootstrap()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      var partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition()))
              .toList();
      java.util.Map<Integer, Long> ends = new HashMap<>();
      consumer.endOffsets(partitions).forEach((tp, end) -> ends.put(tp.partition(), end));
      return ends;
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
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrap());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    Map<String, Integer> reasons = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      int seen = 0;
      while (seen < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          seen++;
          assertThat(record.headers().lastHeader(DeadLetterPublisher.SOURCE_OFFSET)).isNotNull();
          assertThat(record.headers().lastHeader(DeadLetterPublisher.DETAIL)).isNotNull();
          String reason =
              new String(
                  record.headers().lastHeader(DeadLetterPublisher.REASON).value(),
                  StandardCharsets.UTF_8);
          reasons.merge(reason, 1, Integer::sum);
        }
      }
      // Nothing beyond what was rejected: a short extra poll finds no more.
      assertThat(consumer.poll(Duration.ofSeconds(1)).count()).isZero();
    }
    return reasons;
  }
}
