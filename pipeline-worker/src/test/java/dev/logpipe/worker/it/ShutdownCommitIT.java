package dev.logpipe.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.worker.DevClickHouse;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.consume.ConsumerLoop;
import dev.logpipe.worker.consume.DeadLetterPublisher;
import dev.logpipe.worker.detect.AnomalyScorer;
import dev.logpipe.worker.metrics.WorkerMetrics;
import dev.logpipe.worker.parse.LogParser;
import dev.logpipe.worker.sink.ClickHouseBatchWriter;
import dev.logpipe.worker.sink.ClickHouseClients;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM calls {@code stop()}, which wakes the consumer. When that wakeup lands while the loop is
 * not polling (parsing a poll's records, committing), it is still pending when the final commit
 * runs. The consumer here is a real one that raises the wakeup at exactly that moment, every time,
 * instead of hoping a race hits it.
 */
@WithDevServices
class ShutdownCommitIT {

  @Test
  void aWakeupPendingAtTheFinalCommitDoesNotAbortIt(DevServices services) throws Exception {
    TestPipeline pipeline =
        TestPipeline.create(services, "wakeup", false, null)
            // Nothing is cut before stop(): what is stored and committed is the shutdown flush.
            .withBatch(new PipelineConfig.Batch(1_000_000, 256L << 20, 600_000));
    PipelineConfig config = pipeline.config();
    AtomicBoolean stopping = new AtomicBoolean();
    WakesUpBeforeCommit consumer = new WakesUpBeforeCommit(properties(config), stopping);
    WorkerMetrics metrics = new WorkerMetrics(config.pipeline());
    com.clickhouse.client.api.Client clickHouse =
        ClickHouseClients.create(
            config.clickhouse().url(),
            DevClickHouse.credentials(services),
            config.clickhouse().database());
    ClickHouseBatchWriter writer =
        new ClickHouseBatchWriter(
            clickHouse, config.clickhouse().database(), config.clickhouse().table(), 60);
    ConsumerLoop.Recovery recovery =
        ConsumerLoop.Recovery.of(
            new dev.logpipe.worker.sink.BatchLedger(
                clickHouse, config.clickhouse().database(), config.clickhouse().table(), 60),
            org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", services.kafkaBootstrap())),
            () ->
                new KafkaConsumer<>(
                    Map.<String, Object>of("bootstrap.servers", services.kafkaBootstrap()),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer()),
            config.kafka().topic());
    DeadLetterPublisher deadLetters = new DeadLetterPublisher(config, metrics);
    ConsumerLoop loop =
        new ConsumerLoop(
            config,
            consumer,
            LogParser.forFormat(config.format()),
            AnomalyScorer.fromConfig(config.anomalies()),
            writer,
            recovery,
            deadLetters,
            null,
            metrics,
            Duration.ofSeconds(10));
    Thread thread = new Thread(loop, "wakeup-loop");
    try (LogGenerator generator =
        new LogGenerator(services.kafkaBootstrap(), pipeline.topic(), 0)) {
      thread.start();
      generator.send(5_000);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> metrics.registry().find("logpipe_records_consumed").counter().count() >= 5_000);
      assertThat(pipeline.storedRows()).isZero();

      stopping.set(true);
      loop.stop();
      thread.join(20_000);
      assertThat(thread.isAlive()).isFalse();
    } finally {
      deadLetters.close();
      writer.close();
    }
    assertThat(consumer.injected).as("the wakeup was raised before a commit").isTrue();
    // The broker may or may not have taken the interrupted request: the loop must not rely on it
    // (it used to log commit_failed error="null" and leave it at that).
    assertThat(consumer.committedAfterStop).as("the final commit returned normally").isTrue();
    assertThat(pipeline.storedRows()).isEqualTo(5_000);
    assertThat(pipeline.everythingCommitted())
        .as("the final commit went through despite the pending wakeup")
        .isTrue();
  }

  private static Properties properties(PipelineConfig config) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.kafka().groupId());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    return props;
  }

  /** A real consumer that, once the test says stop, wakes itself up right before a commit. */
  private static final class WakesUpBeforeCommit extends KafkaConsumer<byte[], byte[]> {
    private final AtomicBoolean stopping;
    volatile boolean injected;

    /** The last commitSync returned normally after stop (not cut short by the wakeup). */
    volatile boolean committedAfterStop;

    WakesUpBeforeCommit(Properties props, AtomicBoolean stopping) {
      super(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      this.stopping = stopping;
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
      if (stopping.get() && !injected) {
        injected = true;
        wakeup();
      }
      committedAfterStop = false;
      super.commitSync(offsets, timeout);
      committedAfterStop = stopping.get();
    }
  }
}
