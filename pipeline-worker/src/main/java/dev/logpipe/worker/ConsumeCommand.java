package dev.logpipe.worker;

import com.clickhouse.client.api.Client;
import dev.logpipe.worker.api.HealthServer;
import dev.logpipe.worker.cache.RedisLiveView;
import dev.logpipe.worker.config.ConfigException;
import dev.logpipe.worker.config.Credentials;
import dev.logpipe.worker.config.KafkaLogin;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.consume.ConsumerLoop;
import dev.logpipe.worker.consume.DeadLetterPublisher;
import dev.logpipe.worker.detect.AnomalyScorer;
import dev.logpipe.worker.health.BackendMonitor;
import dev.logpipe.worker.health.ClickHouseProbe;
import dev.logpipe.worker.health.KafkaLagProbe;
import dev.logpipe.worker.health.Readiness;
import dev.logpipe.worker.metrics.WorkerMetrics;
import dev.logpipe.worker.parse.LogParser;
import dev.logpipe.worker.sink.BatchLedger;
import dev.logpipe.worker.sink.ClickHouseBatchWriter;
import dev.logpipe.worker.sink.ClickHouseClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one pipeline's consume mode from its config and environment: the consume loop, its backends
 * and the health/metrics endpoints; runs until {@link #shutdown()}.
 *
 * <p>Environment: {@code LOGPIPE_HTTP_PORT} (8080), {@code LOGPIPE_HTTP_HOST} (0.0.0.0), {@code
 * LOGPIPE_SHUTDOWN_GRACE_SECONDS} (20), {@code LOGPIPE_INSERT_TIMEOUT_SECONDS} (60), and the
 * credentials of {@link Credentials}.
 */
public final class ConsumeCommand {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumeCommand.class);

  /** How long a health probe waits for ClickHouse or Kafka: /readyz turns 503 within ~5 s. */
  static final Duration PROBE_TIMEOUT = Duration.ofMillis(2_500);

  private final PipelineConfig config;
  private final WorkerMetrics metrics;
  private final ClickHouseBatchWriter writer;
  private final DeadLetterPublisher deadLetters;
  private final RedisLiveView liveView;
  private final ConsumerLoop loop;
  private final HealthServer health;
  private final ClickHouseProbe clickHouseProbe;
  private final KafkaLagProbe kafkaProbe;
  private final BackendMonitor monitor;
  private final Duration grace;
  private final CountDownLatch finished = new CountDownLatch(1);

  private ConsumeCommand(PipelineConfig config, Map<String, String> env) {
    this.config = config;
    this.grace = Duration.ofSeconds(number(env, "LOGPIPE_SHUTDOWN_GRACE_SECONDS", 20, 1, 3_600));
    int httpPort = (int) number(env, "LOGPIPE_HTTP_PORT", 8080, 0, 65_535);
    this.metrics = new WorkerMetrics(config.pipeline());
    PipelineConfig.ClickHouse ch = config.clickhouse();
    long insertTimeout = number(env, "LOGPIPE_INSERT_TIMEOUT_SECONDS", 60, 10, 600);
    // client-v2 runs requests on the calling thread: the socket timeout is the insert timeout.
    Client clickHouse =
        ClickHouseClients.create(
            ch.url(),
            Credentials.clickHouse(env),
            ch.database(),
            Duration.ofSeconds(insertTimeout));
    this.writer = new ClickHouseBatchWriter(clickHouse, ch.database(), ch.table(), insertTimeout);
    BatchLedger ledger = new BatchLedger(clickHouse, ch.database(), ch.table(), insertTimeout);
    this.deadLetters = new DeadLetterPublisher(config, metrics);
    this.liveView =
        config.redis() == null
            ? null
            : new RedisLiveView(config.redis(), Credentials.redis(env), metrics);
    this.loop =
        new ConsumerLoop(
            config,
            new KafkaConsumer<>(
                consumerProperties(config),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer()),
            LogParser.forPipeline(config),
            AnomalyScorer.fromConfig(config.anomalies()),
            writer,
            ConsumerLoop.Recovery.of(
                ledger,
                Admin.create(adminProperties(config)),
                () -> rangeConsumer(config),
                config.kafka().topic()),
            deadLetters,
            liveView,
            metrics,
            grace);
    Duration storeBound =
        Duration.ofSeconds(number(env, "LOGPIPE_STORE_STALL_SECONDS", 4, 1, 3_600));
    this.clickHouseProbe =
        new ClickHouseProbe(
            ClickHouseClients.probe(ch.url(), Credentials.clickHouse(env), PROBE_TIMEOUT),
            PROBE_TIMEOUT);
    this.kafkaProbe =
        new KafkaLagProbe(
            probeProperties(config),
            config.kafka().groupId(),
            loop::ownedPartitions,
            metrics,
            PROBE_TIMEOUT);
    this.monitor =
        new BackendMonitor(clickHouseProbe, kafkaProbe, config.pipeline().qualifiedName());
    loop.retryWhenAnswering(clickHouseProbe::answeredSince);
    Readiness readiness = new Readiness(loop, clickHouseProbe, kafkaProbe, storeBound);
    this.health =
        new HealthServer(
            env.getOrDefault("LOGPIPE_HTTP_HOST", "0.0.0.0"),
            httpPort,
            this::liveness,
            readiness::check,
            metrics::scrape);
  }

  public static ConsumeCommand fromEnvironment(PipelineConfig config, Map<String, String> env) {
    // The pipeline's Kafka user (if the env names one) joins every client's properties here.
    return new ConsumeCommand(KafkaLogin.apply(config, env), env);
  }

  /** A whole number from the environment, or a {@link ConfigException} naming the variable. */
  static long number(Map<String, String> env, String name, long fallback, long min, long max) {
    String text = env.get(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.strip());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(
        List.of(
            name + ": must be a whole number between " + min + " and " + max + ", was " + text));
  }

  /**
   * For the lag/health probe's admin client and group-less consumer: the servers and the user's
   * client settings (security), none of the consumer's group settings.
   */
  static Properties probeProperties(PipelineConfig config) {
    Properties props = new Properties();
    if (config.kafka().clientProperties() != null) {
      props.putAll(config.kafka().clientProperties());
    }
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "logpipe-" + config.pipeline().name() + "-probe");
    return props;
  }

  static Properties consumerProperties(PipelineConfig config) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.kafka().groupId());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    props.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    // A crashed worker's partitions move within seconds; the insert timeout (60 s) stays
    // below max.poll.interval.ms so a slow insert never costs the assignment.
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
    props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "300000");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "logpipe-" + config.pipeline().name());
    if (config.kafka().clientProperties() != null) {
      props.putAll(config.kafka().clientProperties());
    }
    // Commit-after-store is the delivery design (validation rejects the override too).
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return props;
  }

  /** The consumer's connection and security settings, for the Admin client asking topic ids. */
  static Properties adminProperties(PipelineConfig config) {
    Properties props = new Properties();
    consumerProperties(config)
        .forEach(
            (k, v) -> {
              if (AdminClientConfig.configNames().contains(String.valueOf(k))) {
                props.put(k, v);
              }
            });
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "logpipe-" + config.pipeline().name() + "-admin");
    return props;
  }

  /** A consumer outside the group that re-reads ledger ranges (assigned partitions only). */
  static KafkaConsumer<byte[], byte[]> rangeConsumer(PipelineConfig config) {
    Properties props = consumerProperties(config);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "logpipe-" + config.pipeline().name() + "-replay");
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  public int httpPort() {
    return health.port();
  }

  public ConsumerLoop loop() {
    return loop;
  }

  public WorkerMetrics metrics() {
    return metrics;
  }

  /** Runs the loop on the calling thread until {@link #shutdown()}. */
  public void run() {
    health.start();
    monitor.start();
    LOG.info(
        "event=worker_started pipeline={} topic={} kafkaLogin={} table={}.{} http={}",
        config.pipeline().qualifiedName(),
        config.kafka().topic(),
        KafkaLogin.describe(config),
        config.clickhouse().database(),
        config.clickhouse().table(),
        health.port());
    try {
      loop.run();
    } finally {
      monitor.close();
      kafkaProbe.close();
      clickHouseProbe.close();
      deadLetters.close();
      if (liveView != null) {
        liveView.close();
      }
      writer.close();
      health.close();
      LOG.info("event=worker_stopped pipeline={}", config.pipeline().qualifiedName());
      finished.countDown();
    }
  }

  /** Stops polling, flushes and commits within the grace period, then returns. */
  public void shutdown() {
    if (finished.getCount() == 0) {
      return;
    }
    loop.stop();
    try {
      finished.await(grace.toSeconds() + 10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private HealthServer.Check liveness() {
    long idle = loop.secondsSinceLastPoll();
    return idle < 180
        ? new HealthServer.Check(true, "ok")
        : new HealthServer.Check(false, "consume loop has not polled for " + idle + " s");
  }
}
