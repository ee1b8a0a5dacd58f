package dev.logpipe.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * JSON log lines numbered 0, 1, 2, ... in their {@code seq} field (mapped to {@code trace_id}),
 * sent round-robin over a topic's partitions, as a steady background rate and as bursts. The
 * producer is idempotent with {@code acks=all}, so Kafka holds each number once; every send is
 * acknowledged or its number is kept in {@link #failed()}, so "produced" is an exact count a test
 * can hold the table to.
 */
final class SequencedLogProducer implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final int partitions;
  private final AtomicLong next = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final Set<Long> failed = ConcurrentHashMap.newKeySet();
  private volatile Thread steady;
  private volatile boolean steadyOn;

  SequencedLogProducer(String bootstrap, String topic, int partitions) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    this.producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
    this.partitions = partitions;
  }

  /** Starts sending {@code perSecond} lines a second (in 10 slices a second) until stopped. */
  void startSteady(int perSecond) {
    steadyOn = true;
    int slice = Math.max(1, perSecond / 10);
    steady =
        new Thread(
            () -> {
              long due = System.nanoTime();
              while (steadyOn) {
                for (int i = 0; i < slice; i++) {
                  send();
                }
                due += TimeUnit.MILLISECONDS.toNanos(100);
                LockSupport.parkNanos(Math.max(0, due - System.nanoTime()));
              }
            },
            "steady-producer");
    steady.start();
  }

  void stopSteady() throws InterruptedException {
    steadyOn = false;
    if (steady != null) {
      steady.join();
    }
    producer.flush();
  }

  /** Sends {@code count} lines as fast as the producer goes; returns once all are acknowledged. */
  void burst(int count) {
    for (int i = 0; i < count; i++) {
      send();
    }
    producer.flush();
  }

  private void send() {
    long seq = next.getAndIncrement();
    String line =
        "{\"ts\":"
            + System.currentTimeMillis()
            + ",\"severity\":\"INFO\",\"app\":\"svc-"
            + (seq % 5)
            + "\",\"msg\":\"autoscaling event "
            + seq
            + "\",\"seq\":\""
            + seq
            + "\"}";
    producer.send(
        new ProducerRecord<>(
            topic, (int) (seq % partitions), null, line.getBytes(StandardCharsets.UTF_8)),
        (metadata, e) -> {
          if (e == null) {
            acknowledged.incrementAndGet();
          } else {
            failed.add(seq);
          }
        });
  }

  /** Numbers handed out so far: once {@link #flushed} they are 0 .. produced()-1. */
  long produced() {
    return next.get();
  }

  long acknowledged() {
    return acknowledged.get();
  }

  Set<Long> failed() {
    return Set.copyOf(failed);
  }

  /** Whether every line handed out has an answer from Kafka. */
  boolean flushed() {
    return acknowledged.get() + failed.size() == next.get();
  }

  @Override
  public void close() throws InterruptedException {
    stopSteady();
    producer.close(Duration.ofSeconds(10));
  }
}
