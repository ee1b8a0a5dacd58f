package dev.logpipe.worker.consume;

import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.metrics.WorkerMetrics;
import dev.logpipe.worker.model.Rejection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that could not be parsed to the dead-letter topic, with the reason and source
 * position in headers. {@link #awaitAcknowledged()} must succeed before the batch holding these
 * offsets is committed: a rejected record is never lost, only moved.
 */
public final class DeadLetterPublisher implements AutoCloseable {
  public static final String REASON = "logpipe.reason";
  public static final String DETAIL = "logpipe.detail";
  public static final String SOURCE_TOPIC = "logpipe.source.topic";
  public static final String SOURCE_PARTITION = "logpipe.source.partition";
  public static final String SOURCE_OFFSET = "logpipe.source.offset";
  public static final String PIPELINE = "logpipe.pipeline";
  public static final String ORIGINAL_SIZE = "logpipe.original.size";

  /** Larger payloads are truncated so the dead-letter topic accepts them (size in a header). */
  static final int MAX_PAYLOAD = 512 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

  private final String topic;
  private final String pipeline;
  private final KafkaProducer<byte[], byte[]> producer;
  private final WorkerMetrics metrics;

  /** One dead-letter record on its way; kept by the batch whose offsets it belongs to. */
  public record Pending(ProducerRecord<byte[], byte[]> record, Future<RecordMetadata> ack) {}

  public DeadLetterPublisher(PipelineConfig config, WorkerMetrics metrics) {
    this.topic = config.kafka().deadLetterTopic();
    this.pipeline = config.pipeline().qualifiedName();
    this.metrics = metrics;
    if (topic == null) {
      producer = null;
      return;
    }
    Properties props =
        ReliableProducer.properties(
            config,
            "logpipe-dlq-" + config.pipeline().name(),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30));
    producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Sends the record; returns its acknowledgement to await before committing, or null. */
  public Pending publish(ConsumerRecord<byte[], byte[]> source, Rejection rejection) {
    metrics.deadLettered(rejection.code());
    if (producer == null) {
      LOG.warn(
          "event=record_rejected pipeline={} reason={} partition={} offset={} deadLetter=disabled",
          pipeline,
          rejection.code(),
          source.partition(),
          source.offset());
      return null;
    }
    byte[] value = source.value() == null ? new byte[0] : source.value();
    RecordHeaders headers = new RecordHeaders();
    headers.add(REASON, utf8(rejection.code()));
    headers.add(DETAIL, utf8(rejection.detail()));
    headers.add(SOURCE_TOPIC, utf8(source.topic()));
    headers.add(SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
    headers.add(SOURCE_OFFSET, utf8(Long.toString(source.offset())));
    headers.add(PIPELINE, utf8(pipeline));
    if (value.length > MAX_PAYLOAD) {
      headers.add(ORIGINAL_SIZE, utf8(Integer.toString(value.length)));
      value = Arrays.copyOf(value, MAX_PAYLOAD);
    }
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, null, source.timestamp(), source.key(), value, headers);
    return new Pending(record, producer.send(record));
  }

  /**
   * Waits until every record in {@code pending} is acknowledged. On failure the unacknowledged
   * records are sent again (replacing their entries) and the exception tells the caller to retry
   * later. Safe to call from another thread than {@link #publish}.
   */
  public void awaitAcknowledged(List<Pending> pending) throws DeadLetterException {
    Exception firstFailure = null;
    int failed = 0;
    for (int i = 0; i < pending.size(); i++) {
      Pending p = pending.get(i);
      try {
        p.ack().get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeadLetterException(
            "interrupted while waiting for dead-letter acknowledgements", e);
      } catch (ExecutionException | TimeoutException e) {
        failed++;
        firstFailure = firstFailure == null ? e : firstFailure;
        pending.set(i, new Pending(p.record(), producer.send(p.record())));
      }
    }
    if (firstFailure != null) {
      throw new DeadLetterException(
          failed + " dead-letter records not acknowledged: " + firstFailure.getMessage(),
          firstFailure);
    }
  }

  public boolean enabled() {
    return producer != null;
  }

  private static byte[] utf8(String s) {
    return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
    }
  }

  /** Dead-letter records could not be written; the batch must not be committed yet. */
  public static final class DeadLetterException extends Exception {
    DeadLetterException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
