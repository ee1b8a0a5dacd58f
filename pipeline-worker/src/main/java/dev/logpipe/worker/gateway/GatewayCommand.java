package dev.logpipe.worker.gateway;

import com.clickhouse.client.api.Client;
import dev.logpipe.worker.api.HealthServer;
import dev.logpipe.worker.config.Credentials;
import dev.logpipe.worker.config.KafkaLogin;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.consume.ReliableProducer;
import dev.logpipe.worker.sink.ClickHouseClients;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires {@code pipeline-worker gateway}: the Kafka producer, the ClickHouse client, the Redis query
 * cache and the HTTP server, from the pipeline config and the environment ({@code
 * LOGPIPE_GATEWAY_TOKEN} or {@code _FILE}, {@code LOGPIPE_HTTP_HOST}/{@code _PORT}, credentials).
 */
public final class GatewayCommand implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayCommand.class);
  private static final Duration SOCKET_TIMEOUT_MARGIN = Duration.ofSeconds(2);

  private final KafkaProducer<byte[], byte[]> producer;
  private final Client clickhouse;
  private final QueryCache cache;
  private final GatewayServer server;
  private final PipelineConfig config;
  private volatile long readyCheckedAt;
  private volatile HealthServer.Check lastReadiness = new HealthServer.Check(false, "starting");

  public GatewayCommand(PipelineConfig config, Map<String, String> env) {
    // The pipeline's Kafka user (if the env names one) joins the producer's properties.
    config = KafkaLogin.apply(config, env);
    this.config = config;
    BearerAuth auth = new BearerAuth(Credentials.read(env, BearerAuth.TOKEN_ENV).orElse(null));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry
        .config()
        .commonTags(
            Tags.of(
                "namespace", config.pipeline().namespace(), "pipeline", config.pipeline().name()));
    this.producer =
        new KafkaProducer<>(
            producerProperties(config), new ByteArraySerializer(), new ByteArraySerializer());
    PipelineConfig.Gateway limits = config.gateway();
    this.clickhouse =
        ClickHouseClients.create(
            config.clickhouse().url(),
            Credentials.clickHouse(env),
            config.clickhouse().database(),
            clickHouseSocketTimeout(limits));
    this.cache =
        new QueryCache(
            config.redis(), Credentials.redis(env), limits.queryCacheTtlSeconds(), registry);
    this.server =
        new GatewayServer(
            new IngestService(producer, config.kafka().topic(), config.format(), registry),
            new QueryService(clickhouse, config.clickhouse(), limits),
            cache,
            auth,
            limits.maxBodyBytes(),
            this::readiness,
            registry);
    server.start(
        env.getOrDefault("LOGPIPE_HTTP_HOST", "0.0.0.0"),
        Integer.parseInt(env.getOrDefault("LOGPIPE_HTTP_PORT", "8080")));
    LOG.info(
        "event=gateway_started pipeline={} kafkaLogin={} port={}",
        config.pipeline().qualifiedName(),
        KafkaLogin.describe(config),
        server.port());
  }

  /**
   * Every query carries {@code max_execution_time}; a server that has not answered by then plus a
   * small margin (network, the error response) is hung, and the request gets its 503 then.
   */
  static Duration clickHouseSocketTimeout(PipelineConfig.Gateway limits) {
    return Duration.ofSeconds(limits.queryTimeoutSeconds()).plus(SOCKET_TIMEOUT_MARGIN);
  }

  static Properties producerProperties(PipelineConfig config) {
    Properties props =
        ReliableProducer.properties(
            config,
            "logpipe-gateway-" + config.pipeline().name(),
            Duration.ofSeconds(5),
            Duration.ofSeconds(15));
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    return props;
  }

  public int port() {
    return server.port();
  }

  /** ClickHouse answers and the topic's metadata is known; checked at most every 2 s. */
  private HealthServer.Check readiness() {
    long now = System.nanoTime();
    if (now - readyCheckedAt < 2_000_000_000L) {
      return lastReadiness;
    }
    readyCheckedAt = now;
    HealthServer.Check check;
    if (!clickhouse.ping(1_000)) {
      check = new HealthServer.Check(false, "ClickHouse does not answer");
    } else {
      try {
        producer.partitionsFor(config.kafka().topic());
        check = new HealthServer.Check(true, "ready");
      } catch (RuntimeException e) {
        check =
            new HealthServer.Check(false, "Kafka topic metadata unavailable: " + e.getMessage());
      }
    }
    lastReadiness = check;
    return check;
  }

  @Override
  public void close() {
    server.close();
    producer.close(Duration.ofSeconds(5));
    cache.close();
    clickhouse.close();
  }

  /** Blocks until the JVM is asked to stop. */
  public void awaitShutdown() throws InterruptedException {
    java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  close();
                  stop.countDown();
                },
                "gateway-shutdown"));
    stop.await();
  }
}
