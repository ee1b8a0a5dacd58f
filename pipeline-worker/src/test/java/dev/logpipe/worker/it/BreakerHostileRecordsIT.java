package dev.logpipe.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Adversarial review of the worker: records a producer writes straight to the topic (no gateway
 * validation in front), each hostile in its own way. Every one must be stored or dead-lettered,
 * none twice, and a record after them must be stored: no hostile value may crash or stall the
 * worker, or poison a batch that holds good records.
 */
@WithDevServices
class BreakerHostileRecordsIT {

  private static List<byte[]> hostileRecords() {
    List<String> json =
        List.of(
            "{\"ts\":1e400,\"msg\":\"a\"}",
            "{\"ts\":-9223372036854775808,\"msg\":\"b\"}",
            "{\"ts\":9223372036854775807,\"msg\":\"b2\"}",
            "{\"ts\":\"+999999999-12-31T23:59:59Z\",\"msg\":\"c\"}",
            "{\"ts\":\"0000-01-01T00:00:00Z\",\"msg\":\"d\"}",
            "{\"ts\":true,\"msg\":\"d2\"}",
            "{\"ts\":\"2026-11-01T00:00:00Z\",\"ts\":\"1970-01-01T00:00:00Z\",\"msg\":\"dup\"}",
            "{\"status\":70000,\"msg\":\"e\"}",
            "{\"status\":-1,\"msg\":\"f\"}",
            "{\"status\":1e20,\"msg\":\"g\"}",
            "{\"status\":\"200abc\",\"msg\":\"g2\"}",
            "{\"latency_ms\":\"NaN\",\"msg\":\"h\"}",
            "{\"latency_ms\":\"Infinity\",\"msg\":\"h2\"}",
            "{\"latency_ms\":1e309,\"msg\":\"i\"}",
            "{\"latency_ms\":-1e308,\"msg\":\"j\"}",
            "{\"msg\":\"nul \\u0000 lone \\ud800 end\"}",
            "{\"msg\":{\"nested\":[1,2,{\"x\":null}]}}",
            "{\"msg\":null,\"level\":null,\"service\":null}",
            "{\"\":\"\",\"a.b\":1,\"a\":{\"b\":2}}",
            "{\"trace_id\":123456789012345678901234567890,\"msg\":\"k\"}",
            "{\"service\":\"" + "s".repeat(100_000) + "\"}",
            "{\"level\":\"" + "E".repeat(5_000) + "\"}",
            "{\"_offset\":0,\"_partition\":99,\"anomaly_score\":1000,\"timestamp\":-1}",
            "\"just a string\"",
            "[1,2,3]",
            "",
            "   ",
            "\ufeff{\"msg\":\"bom\"}");
    List<byte[]> out = new ArrayList<>();
    for (String s : json) {
      out.add(s.getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream invalidUtf8 = new ByteArrayOutputStream();
    invalidUtf8.writeBytes("{\"msg\":\"bad ".getBytes(StandardCharsets.US_ASCII));
    invalidUtf8.write(0xC0);
    invalidUtf8.write(0xAF);
    invalidUtf8.write(0xFF);
    invalidUtf8.writeBytes("\"}".getBytes(StandardCharsets.US_ASCII));
    out.add(invalidUtf8.toByteArray());
    out.add(null); // a tombstone: no value at all
    return out;
  }

  @Test
  void everyHostileRecordIsStoredOrDeadLetteredOnceAndTheWorkerGoesOn(DevServices services)
      throws Exception {
    TestPipeline pipeline = TestPipeline.create(services, "brkrec", true, null);
    List<byte[]> records = hostileRecords();
    String sentinel = "sentinel-" + UUID.randomUUID();
    try (RunningWorker worker = new RunningWorker(pipeline.config());
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrap()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      // Good records share every partition with the hostile ones, before and after them.
      int partitions = TestPipeline.PARTITIONS;
      int sent = 0;
      for (int p = 0; p < partitions; p++) {
        producer.send(record(pipeline, p, "{\"msg\":\"good before " + p + "\"}")).get();
        sent++;
        for (byte[] value : records) {
          producer.send(new ProducerRecord<>(pipeline.topic(), p, null, value)).get();
          sent++;
        }
        producer.send(record(pipeline, p, "{\"msg\":\"good after " + p + "\"}")).get();
        sent++;
      }
      producer.send(record(pipeline, 0, "{\"msg\":\"" + sentinel + "\"}")).get();
      int total = sent + 1;

      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () ->
                  assertThat(pipeline.storedRows() + deadLettered(services, pipeline))
                      .isEqualTo(total));
      assertThat(
              pipeline.scalar(
                  "SELECT count() FROM logs_it.brkrec WHERE message = '" + sentinel + "'"))
          .isEqualTo(1);
      assertThat(
              pipeline.scalar(
                  "SELECT count() FROM logs_it.brkrec WHERE startsWith(message, 'good ')"))
          .isEqualTo(2L * partitions);
      assertThat(pipeline.duplicatePositions()).isZero();
      // A record naming system columns (_partition 99, _offset 0, anomaly_score 1000) sets none.
      assertThat(
              pipeline.scalar(
                  "SELECT count() FROM logs_it.brkrec WHERE _partition >= "
                      + partitions
                      + " OR anomaly_score > 100"))
          .isZero();
      System.out.println(
          "breaker: stored="
              + pipeline.storedRows()
              + " deadLettered="
              + deadLettered(services, pipeline)
              + " of "
              + total);
    }
  }

  private static ProducerRecord<byte[], byte[]> record(
      TestPipeline pipeline, int partition, String json) {
    return new ProducerRecord<>(
        pipeline.topic(), partition, null, json.getBytes(StandardCharsets.UTF_8));
  }

  private static long deadLettered(DevServices services, TestPipeline pipeline) throws Exception {
    String dlq = pipeline.topic() + ".dlq";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", services.kafkaBootstrap()))) {
      return admin
          .listOffsets(Map.of(new TopicPartition(dlq, 0), OffsetSpec.latest()))
          .all()
          .get(30, TimeUnit.SECONDS)
          .values()
          .stream()
          .mapToLong(i -> i.offset())
          .sum();
    }
  }
}
