package dev.logpipe.worker.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces realistic JSON log lines (several services, levels, status codes, latencies, error
 * codes) with every {@code malformedEvery}-th record broken in one of several ways. Counts what it
 * sent so tests can compare exactly.
 */
final class LogGenerator implements AutoCloseable {
  static final String[] SERVICES = {"payments", "checkout", "search", "auth", "inventory"};
  private static final String[] LEVELS = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final Random random = new Random(42);
  private final int malformedEvery;
  private int days = 1;
  long valid;
  long malformed;
  long errors;

  LogGenerator(String bootstrap, String topic, int malformedEvery) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    this.producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
    this.malformedEvery = malformedEvery;
  }

  /**
   * Spreads the events' timestamps over {@code days} consecutive days (record n on day n % days),
   * so a batch of them writes one ClickHouse part per day.
   */
  LogGenerator spreadOverDays(int days) {
    this.days = days;
    return this;
  }

  /**
   * Sends {@code total} records in {@code chunks} equal chunks with {@code pause} between them, in
   * the background: a steady flow for tests that change workers while it runs.
   */
  CompletableFuture<Void> sendPaced(int total, int chunks, Duration pause) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            for (int i = 0; i < chunks; i++) {
              send(total / chunks);
              Thread.sleep(pause.toMillis());
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  void send(int count) throws Exception {
    Future<RecordMetadata> last = null;
    for (int i = 0; i < count; i++) {
      byte[] value;
      long n = valid + malformed;
      if (malformedEvery > 0 && n % malformedEvery == malformedEvery - 1) {
        value = malformedLine((int) (malformed % 4));
        malformed++;
      } else {
        value = line(n);
        valid++;
      }
      last = producer.send(new ProducerRecord<>(topic, value));
    }
    producer.flush();
    if (last != null) {
      last.get();
    }
  }

  private byte[] line(long n) {
    String service = SERVICES[random.nextInt(SERVICES.length)];
    String level = LEVELS[random.nextInt(LEVELS.length)];
    if (level.equals("ERROR")) {
      errors++;
    }
    int status = level.equals("ERROR") ? 500 + random.nextInt(4) : 200;
    return ("{\"ts\":\""
            + Instant.ofEpochMilli(1_763_000_000_000L + n + (n % days) * 86_400_000L).toString()
            + "\",\"level\":\""
            + level
            + "\",\"service\":\""
            + service
            + "\",\"msg\":\"request "
            + n
            + " handled\",\"host\":\"pod-"
            + (n % 7)
            + "\",\"trace_id\":\"t"
            + n
            + "\",\"status\":"
            + status
            + ",\"latency_ms\":"
            + random.nextInt(4000)
            + (level.equals("ERROR") ? ",\"error_code\":\"E" + (n % 13) + "\"" : "")
            + ",\"region\":\"eu-west-1\",\"seq\":"
            + n
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] malformedLine(int kind) {
    return switch (kind) {
      case 0 ->
          "{\"ts\": \"2025-01-01T00:00:00Z\", \"msg\": broken".getBytes(StandardCharsets.UTF_8);
      case 1 -> new byte[] {'{', '"', 'm', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
      case 2 -> "[1,2,3]".getBytes(StandardCharsets.UTF_8);
      default -> "{\"a\":".repeat(200).getBytes(StandardCharsets.UTF_8);
    };
  }

  @Override
  public void close() {
    producer.close();
  }
}
