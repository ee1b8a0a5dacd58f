package dev.logpipe.worker.gateway;

import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.parse.LogParser;
import dev.logpipe.worker.parse.ParseResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * {@code POST /v1/logs}. Rejection is per request: every record is validated with the pipeline's
 * own parser first, and one invalid record rejects the whole request with 400 and nothing written.
 * Valid requests are produced with an idempotent, acks=all producer, and 202 is answered only once
 * Kafka acknowledged every record.
 */
public final class IngestService {
  static final int MAX_REPORTED_ERRORS = 20;

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final LogParser parser;
  private final boolean jsonFormat;
  private final Counter accepted;
  private final Counter rejected;

  public IngestService(
      Producer<byte[], byte[]> producer,
      String topic,
      PipelineConfig.Format format,
      MeterRegistry registry) {
    this.producer = producer;
    this.topic = topic;
    this.parser = LogParser.forFormat(format);
    this.jsonFormat = format == null || format.type() == null || "json".equals(format.type());
    this.accepted = registry.counter("logpipe_gateway_ingested", "result", "accepted");
    this.rejected = registry.counter("logpipe_gateway_ingested", "result", "rejected");
  }

  /**
   * Splits a request body into records (see {@link RequestBodies#split}) and ingests them: returns
   * the 202 body, or throws {@link BadRequest}/{@link InvalidRecords}/{@link BackendUnavailable}.
   */
  public Map<String, Object> ingest(byte[] body, String contentType) {
    return ingest(RequestBodies.split(body, contentType, jsonFormat));
  }

  private Map<String, Object> ingest(List<byte[]> records) {
    long now = System.currentTimeMillis();
    List<Map<String, Object>> errors = new ArrayList<>();
    int invalid = 0;
    for (int i = 0; i < records.size(); i++) {
      ParseResult result = parser.parse(records.get(i), now);
      if (!result.isOk()) {
        invalid++;
        if (errors.size() < MAX_REPORTED_ERRORS) {
          Map<String, Object> error = new LinkedHashMap<>();
          error.put("index", i);
          error.put("reason", result.rejection().code());
          error.put("detail", result.rejection().detail());
          errors.add(error);
        }
      }
    }
    if (invalid > 0) {
      rejected.increment(records.size());
      throw new InvalidRecords(invalid, records.size(), errors);
    }
    List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
    try {
      for (byte[] record : records) {
        acks.add(producer.send(new ProducerRecord<>(topic, null, now, null, record)));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get(30, TimeUnit.SECONDS);
      }
    } catch (KafkaException | ExecutionException | TimeoutException e) {
      throw new BackendUnavailable(
          "Kafka did not acknowledge the records; nothing is confirmed, retry the request"
              + " (records that reached Kafka before the failure may then be stored twice)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendUnavailable("interrupted while waiting for Kafka", e);
    }
    accepted.increment(records.size());
    return Map.of("accepted", records.size());
  }

  /** Some records are invalid: 400 with the first errors, nothing written. */
  public static final class InvalidRecords extends RuntimeException {
    private final transient Map<String, Object> body;

    InvalidRecords(int invalid, int total, List<Map<String, Object>> errors) {
      super(invalid + " of " + total + " records are invalid");
      Map<String, Object> b = new LinkedHashMap<>();
      b.put(
          "error",
          invalid
              + " of "
              + total
              + " records are invalid; the request was rejected and nothing was written");
      b.put("rejected", invalid);
      b.put("errors", errors);
      this.body = b;
    }

    public Map<String, Object> body() {
      return body;
    }
  }
}
