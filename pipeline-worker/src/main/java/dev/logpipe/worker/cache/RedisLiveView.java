package dev.logpipe.worker.cache;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logpipe.worker.config.Credentials;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.metrics.WorkerMetrics;
import dev.logpipe.worker.model.LogEvent;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Best-effort Redis live views, written pipelined on a thread of its own after a batch is stored in
 * ClickHouse: Redis being slow or down never slows delivery (a full queue drops the view update and
 * counts it).
 *
 * <p>Keys, all under the pipeline prefix and expiring after {@code ttlSeconds}: {@code
 * recent:<service>} (list, newest first, capped), {@code counts:<epochMinute>} (hash of
 * "service|level" → count), {@code anomalies} (stream, capped), {@code services} (hash of service →
 * last seen ms).
 */
public final class RedisLiveView implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLiveView.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PipelineConfig.Redis config;
  private final WorkerMetrics metrics;
  private final RedisClient client;
  private final ThreadPoolExecutor writer;
  private volatile StatefulRedisConnection<String, String> connection;
  private LiveViewBatch waiting;
  private volatile boolean healthy = true;
  private volatile String lastError = "";

  public RedisLiveView(
      PipelineConfig.Redis config, Credentials credentials, WorkerMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
    this.client = RedisClient.create(redisUri(config.url(), credentials));
    this.writer =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new java.util.concurrent.LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "redis-live-view");
              t.setDaemon(true);
              return t;
            });
  }

  /** The URI with credentials from the Secret (never from the config file) and short timeouts. */
  public static RedisURI redisUri(String url, Credentials credentials) {
    RedisURI.Builder uri =
        RedisURI.builder(RedisURI.create(url)).withTimeout(Duration.ofSeconds(2));
    if (credentials.password() != null) {
      uri =
          credentials.user() != null
              ? uri.withAuthentication(credentials.user(), credentials.password())
              : uri.withPassword(credentials.password().toCharArray());
    }
    return uri.build();
  }

  public LiveViewBatch newBatch() {
    return new LiveViewBatch(config.recentPerService(), config.anomaliesMax());
  }

  /**
   * Hands the batch's view updates to the writer thread and returns at once. While the writer is
   * busy, later batches are merged into the waiting one, so nothing is dropped and memory stays
   * bounded by the caps of one batch.
   */
  public void publish(LiveViewBatch batch) {
    if (batch.isEmpty()) {
      return;
    }
    synchronized (this) {
      if (waiting != null) {
        waiting.merge(batch);
        return;
      }
      waiting = batch;
    }
    writer.execute(this::writeWaiting);
  }

  private void writeWaiting() {
    LiveViewBatch batch;
    synchronized (this) {
      batch = waiting;
      waiting = null;
    }
    if (batch != null) {
      write(batch);
    }
  }

  public boolean healthy() {
    return healthy;
  }

  public String lastError() {
    return lastError;
  }

  private void write(LiveViewBatch batch) {
    try {
      StatefulRedisConnection<String, String> c = connection();
      RedisAsyncCommands<String, String> redis = c.async();
      List<RedisFuture<?>> futures = new ArrayList<>();
      String prefix = config.keyPrefix();
      long ttl = config.ttlSeconds();
      c.setAutoFlushCommands(false);
      for (Map.Entry<String, ArrayDeque<LogEvent>> e : batch.recent().entrySet()) {
        String key = prefix + "recent:" + e.getKey();
        String[] values = e.getValue().stream().map(RedisLiveView::json).toArray(String[]::new);
        futures.add(redis.lpush(key, values));
        futures.add(redis.ltrim(key, 0, config.recentPerService() - 1));
        futures.add(redis.expire(key, ttl));
        futures.add(
            redis.hset(
                prefix + "services",
                e.getKey(),
                Long.toString(e.getValue().peekLast().timestampMs())));
      }
      futures.add(redis.expire(prefix + "services", ttl));
      for (Map.Entry<Long, Map<String, Long>> minute : batch.countsByMinute().entrySet()) {
        String key = prefix + "counts:" + minute.getKey();
        for (Map.Entry<String, Long> count : minute.getValue().entrySet()) {
          futures.add(redis.hincrby(key, count.getKey(), count.getValue()));
        }
        futures.add(redis.expire(key, ttl));
      }
      XAddArgs capped = XAddArgs.Builder.maxlen(config.anomaliesMax()).approximateTrimming();
      for (LogEvent event : batch.anomalies()) {
        futures.add(redis.xadd(prefix + "anomalies", capped, anomalyFields(event)));
      }
      futures.add(redis.expire(prefix + "anomalies", ttl));
      c.flushCommands();
      for (RedisFuture<?> f : futures) {
        f.get(2, TimeUnit.SECONDS);
      }
      healthy = true;
    } catch (Exception e) {
      metrics.redisError();
      lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (healthy) {
        LOG.warn(
            "event=redis_write_failed keyPrefix={} error=\"{}\"", config.keyPrefix(), lastError);
      }
      healthy = false;
      closeConnection();
    }
  }

  private StatefulRedisConnection<String, String> connection() {
    StatefulRedisConnection<String, String> c = connection;
    if (c == null || !c.isOpen()) {
      c = client.connect();
      connection = c;
    }
    return c;
  }

  private void closeConnection() {
    StatefulRedisConnection<String, String> c = connection;
    connection = null;
    if (c != null) {
      c.closeAsync();
    }
  }

  private static Map<String, String> anomalyFields(LogEvent e) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("timestamp", Long.toString(e.timestampMs()));
    fields.put("service", e.service());
    fields.put("level", e.level());
    fields.put("score", Integer.toString(e.anomalyScore()));
    fields.put("reasons", String.join(",", e.anomalyReasons()));
    fields.put("message", e.message());
    fields.put("partition", Integer.toString(e.partition()));
    fields.put("offset", Long.toString(e.offset()));
    return fields;
  }

  /**
   * The cached shape of one event (the same field names as the table's columns), written straight
   * to a generator: building a map per event and serialising it cost more than the Redis write.
   */
  static String json(LogEvent e) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("timestamp", e.timestampMs());
      g.writeStringField("service", e.service());
      g.writeStringField("level", e.level());
      g.writeStringField("message", e.message());
      g.writeStringField("host", e.host());
      g.writeStringField("trace_id", e.traceId());
      g.writeFieldName("status_code");
      if (e.hasStatusCode()) {
        g.writeNumber(e.statusCode());
      } else {
        g.writeNull();
      }
      g.writeFieldName("latency_ms");
      if (e.hasLatency()) {
        g.writeNumber(e.latencyMs());
      } else {
        g.writeNull();
      }
      g.writeStringField("error_code", e.errorCode());
      g.writeFieldName("attributes");
      if (e.attributes() == null) {
        g.writeNull();
      } else {
        g.writeStartObject();
        for (Map.Entry<String, String> a : e.attributes().entrySet()) {
          g.writeStringField(a.getKey(), a.getValue());
        }
        g.writeEndObject();
      }
      g.writeNumberField("anomaly_score", e.anomalyScore());
      g.writeFieldName("anomaly_reasons");
      if (e.anomalyReasons() == null) {
        g.writeNull();
      } else {
        g.writeStartArray();
        for (String reason : e.anomalyReasons()) {
          g.writeString(reason);
        }
        g.writeEndArray();
      }
      g.writeNumberField("_partition", e.partition());
      g.writeNumberField("_offset", e.offset());
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toString();
  }

  /** Waits (bounded) for queued writes, then closes. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeConnection();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
