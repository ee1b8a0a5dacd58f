package dev.logpipe.worker.consume;

import dev.logpipe.worker.cache.RedisLiveView;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.detect.AnomalyScorer;
import dev.logpipe.worker.metrics.WorkerMetrics;
import dev.logpipe.worker.model.LogEvent;
import dev.logpipe.worker.parse.LogParser;
import dev.logpipe.worker.parse.ParseResult;
import dev.logpipe.worker.sink.ClickHouseBatchWriter;
import dev.logpipe.worker.sink.StoreException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consume loop: poll → parse → score → batch → store → commit, on one thread.
 *
 * <p>Delivery: offsets are committed only after the batch holding them is stored (and its
 * dead-letter records acknowledged). On assignment a partition stays paused until its stored
 * high-water mark is read from ClickHouse, and consumption resumes after it, so replays after a
 * crash or a rebalance never store a row twice. While ClickHouse is down every partition is paused
 * and the same batch is retried with capped backoff and the same deduplication token: memory stays
 * at one batch, nothing is committed that was not stored.
 */
public final class ConsumerLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);

  /** What the loop is doing, for readiness and status. */
  public enum State {
    STARTING,
    RUNNING,
    STORE_FAILING,
    STOPPED
  }

  private final PipelineConfig config;
  private final Consumer<byte[], byte[]> consumer;
  private final LogParser parser;
  private final AnomalyScorer scorer;
  private final ClickHouseBatchWriter writer;
  private final DeadLetterPublisher deadLetters;
  private final RedisLiveView liveView;
  private final WorkerMetrics metrics;
  private final String pipeline;
  private final Backoff backoff = new Backoff(200, 30_000);
  private final Set<TopicPartition> awaitingMarks = new HashSet<>();
  private final Duration shutdownGrace;

  private volatile boolean stopping;
  private volatile State state = State.STARTING;
  private volatile String lastError = "";
  private volatile long lastPollNanos = System.nanoTime();
  private Batch batch;
  private boolean paused;
  private long retryAtNanos;
  private long lagUpdatedNanos;

  public ConsumerLoop(
      PipelineConfig config,
      Consumer<byte[], byte[]> consumer,
      LogParser parser,
      AnomalyScorer scorer,
      ClickHouseBatchWriter writer,
      DeadLetterPublisher deadLetters,
      RedisLiveView liveView,
      WorkerMetrics metrics,
      Duration shutdownGrace) {
    this.config = config;
    this.consumer = consumer;
    this.parser = parser;
    this.scorer = scorer;
    this.writer = writer;
    this.deadLetters = deadLetters;
    this.liveView = liveView;
    this.metrics = metrics;
    this.shutdownGrace = shutdownGrace;
    this.pipeline = config.pipeline().qualifiedName();
    this.batch = newBatch();
  }

  @Override
  public void run() {
    consumer.subscribe(List.of(config.kafka().topic()), new Rebalance());
    state = State.RUNNING;
    try {
      while (!stopping) {
        try {
          step();
        } catch (WakeupException e) {
          if (!stopping) {
            throw e;
          }
        }
      }
      flushBeforeExit();
    } finally {
      state = State.STOPPED;
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Asks the loop to stop: it flushes and commits what it holds, within the grace period. */
  public void stop() {
    stopping = true;
    consumer.wakeup();
  }

  public State state() {
    return state;
  }

  public String lastError() {
    return lastError;
  }

  /** Seconds since the loop last polled: a loop that stopped polling is not alive. */
  public long secondsSinceLastPoll() {
    return (System.nanoTime() - lastPollNanos) / 1_000_000_000L;
  }

  private void step() {
    long now = System.nanoTime();
    if (!awaitingMarks.isEmpty() && now >= retryAtNanos) {
      loadHighWaterMarks();
    }
    if (paused && batch.isEmpty()) {
      resumeAll();
    } else if (paused && now >= retryAtNanos) {
      flush();
    }
    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(pollTimeoutMillis()));
    lastPollNanos = System.nanoTime();
    if (!records.isEmpty()) {
      long ingestedAt = System.currentTimeMillis();
      for (ConsumerRecord<byte[], byte[]> record : records) {
        handle(record, ingestedAt);
      }
      metrics.consumed(records.count());
    }
    PipelineConfig.Batch limits = config.batch();
    if (!paused
        && !batch.isEmpty()
        && (batch.rows() >= limits.maxRows()
            || batch.bytes() >= limits.maxBytes()
            || batch.ageMillis() >= limits.maxDelayMs())) {
      flush();
    }
    updateLag();
  }

  private void handle(ConsumerRecord<byte[], byte[]> record, long ingestedAt) {
    byte[] value = record.value() == null ? new byte[0] : record.value();
    ParseResult result = parser.parse(value, record.timestamp());
    if (result.isOk()) {
      LogEvent event = result.event();
      event.source(record.partition(), record.offset()).ingestedAtMs(ingestedAt);
      scorer.score(event);
      if (event.anomalyScore() > 0) {
        metrics.anomalies(1);
      }
      batch.add(event);
    } else {
      deadLetters.publish(record, result.rejection());
      batch.skip(record.partition(), record.offset());
    }
  }

  private long pollTimeoutMillis() {
    if (paused) {
      return Math.max(1, Math.min(500, (retryAtNanos - System.nanoTime()) / 1_000_000));
    }
    if (batch.isEmpty()) {
      return 200;
    }
    return Math.max(1, Math.min(200, config.batch().maxDelayMs() - batch.ageMillis()));
  }

  /** Stores and commits the batch; on failure pauses everything and schedules a retry. */
  private boolean flush() {
    try {
      deadLetters.awaitAcknowledged();
      if (batch.rows() > 0) {
        long t0 = System.nanoTime();
        writer.insert(batch.body(), batch.deduplicationToken(pipeline));
        metrics.stored(batch.rows(), Duration.ofNanos(System.nanoTime() - t0));
      }
      commit(batch.commitOffsets());
      if (liveView != null && batch.liveView() != null) {
        liveView.publish(batch.liveView());
      }
      if (state == State.STORE_FAILING) {
        LOG.info("event=store_recovered pipeline={} attempts={}", pipeline, backoff.attempts());
      }
      batch = newBatch();
      backoff.reset();
      state = State.RUNNING;
      lastError = "";
      resumeAll();
      return true;
    } catch (StoreException | DeadLetterPublisher.DeadLetterException e) {
      metrics.insertFailed();
      lastError = e.getMessage();
      state = State.STORE_FAILING;
      long delay = backoff.nextMillis();
      retryAtNanos = System.nanoTime() + delay * 1_000_000;
      LOG.warn(
          "event=store_failed pipeline={} rows={} attempt={} retryInMs={} error=\"{}\"",
          pipeline,
          batch.rows(),
          backoff.attempts(),
          delay,
          e.getMessage());
      pauseAll();
      return false;
    }
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      consumer.commitSync(offsets, Duration.ofSeconds(30));
    } catch (KafkaException e) {
      // Stored but not committed: a replay of these offsets is skipped by the high-water marks.
      LOG.warn("event=commit_failed pipeline={} error=\"{}\"", pipeline, e.getMessage());
    }
  }

  private void loadHighWaterMarks() {
    try {
      Map<Integer, Long> marks = writer.highWaterMarks();
      for (TopicPartition tp : awaitingMarks) {
        Long stored = marks.get(tp.partition());
        if (stored != null && consumer.position(tp) <= stored) {
          LOG.info(
              "event=skip_stored pipeline={} partition={} resumeAt={}",
              pipeline,
              tp.partition(),
              stored + 1);
          consumer.seek(tp, stored + 1);
        }
      }
      if (!paused) {
        consumer.resume(awaitingMarks);
      }
      awaitingMarks.clear();
      if (state == State.STORE_FAILING && batch.isEmpty()) {
        state = State.RUNNING;
        backoff.reset();
      }
    } catch (StoreException | KafkaException e) {
      lastError = e.getMessage();
      state = State.STORE_FAILING;
      long delay = backoff.nextMillis();
      retryAtNanos = System.nanoTime() + delay * 1_000_000;
      LOG.warn(
          "event=offsets_unavailable pipeline={} retryInMs={} error=\"{}\"",
          pipeline,
          delay,
          e.getMessage());
    }
  }

  private void pauseAll() {
    consumer.pause(consumer.assignment());
    paused = true;
  }

  private void resumeAll() {
    if (paused) {
      Set<TopicPartition> ready = new HashSet<>(consumer.assignment());
      ready.removeAll(awaitingMarks);
      consumer.resume(ready);
      paused = false;
    }
  }

  private void flushBeforeExit() {
    long deadline = System.nanoTime() + shutdownGrace.toNanos();
    while (!batch.isEmpty() && System.nanoTime() < deadline) {
      if (!flush()) {
        long wait =
            Math.min(
                (retryAtNanos - System.nanoTime()) / 1_000_000,
                (deadline - System.nanoTime()) / 1_000_000);
        if (wait > 0) {
          try {
            Thread.sleep(wait);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
    }
    if (!batch.isEmpty()) {
      LOG.warn(
          "event=shutdown_unflushed pipeline={} records={} note=\"not committed; the next owner re-reads them\"",
          pipeline,
          batch.records());
    }
  }

  private void updateLag() {
    long now = System.nanoTime();
    if (now - lagUpdatedNanos < 2_000_000_000L) {
      return;
    }
    lagUpdatedNanos = now;
    long lag = 0;
    for (TopicPartition tp : consumer.assignment()) {
      lag += consumer.currentLag(tp).orElse(0);
    }
    metrics.lag(lag);
  }

  private Batch newBatch() {
    return new Batch(config.kafka().topic(), liveView == null ? null : liveView.newBatch());
  }

  /** Drops the unstored batch and rewinds the partitions we keep to where it began. */
  private void abandonBatch(Collection<TopicPartition> leaving) {
    Set<TopicPartition> kept = new HashSet<>(consumer.assignment());
    kept.removeAll(leaving);
    batch
        .firstOffsets()
        .forEach(
            (tp, first) -> {
              if (kept.contains(tp)) {
                consumer.seek(tp, first);
              }
            });
    batch = newBatch();
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      awaitingMarks.removeAll(partitions);
      if (!partitions.isEmpty() && !batch.isEmpty() && !flush()) {
        abandonBatch(partitions);
      }
      LOG.info("event=partitions_revoked pipeline={} partitions={}", pipeline, partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      awaitingMarks.removeAll(partitions);
      abandonBatch(partitions);
      LOG.warn("event=partitions_lost pipeline={} partitions={}", pipeline, partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      // Nothing is read from a new partition before its stored high-water mark is known.
      consumer.pause(partitions);
      awaitingMarks.addAll(partitions);
      retryAtNanos = 0;
      LOG.info("event=partitions_assigned pipeline={} partitions={}", pipeline, partitions);
    }
  }
}
