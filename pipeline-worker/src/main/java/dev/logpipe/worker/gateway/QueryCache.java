package dev.logpipe.worker.gateway;

import dev.logpipe.worker.cache.RedisLiveView;
import dev.logpipe.worker.config.Credentials;
import dev.logpipe.worker.config.PipelineConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Read-through cache of query responses in Redis under the pipeline's prefix, keyed by a hash of
 * the endpoint and its canonical parameters, for {@code ttlSeconds} if the range is settled and for
 * at most {@link CacheLifetime#EDGE_MAX_AGE} if it reaches the present. Redis trouble never fails a
 * query: it is counted and the answer comes from ClickHouse.
 */
public final class QueryCache implements AutoCloseable {
  private static final long REDIS_TIMEOUT_MS = 250;

  private final RedisClient client;
  private final String prefix;
  private final int ttlSeconds;
  private final Counter hits;
  private final Counter misses;
  private final Counter errors;
  private volatile StatefulRedisConnection<String, String> connection;

  public QueryCache(
      PipelineConfig.Redis redis, Credentials credentials, int ttlSeconds, MeterRegistry registry) {
    this.client =
        redis == null || ttlSeconds <= 0
            ? null
            : RedisClient.create(RedisLiveView.redisUri(redis.url(), credentials));
    this.prefix = redis == null ? "" : redis.keyPrefix() + "query:";
    this.ttlSeconds = ttlSeconds;
    this.hits = registry.counter("logpipe_gateway_cache", "result", "hit");
    this.misses = registry.counter("logpipe_gateway_cache", "result", "miss");
    this.errors = registry.counter("logpipe_gateway_cache", "result", "error");
  }

  /** Returns the cached JSON for this query at {@code now}, or computes, stores and returns it. */
  public Result get(
      String endpoint, QueryParameters params, Instant now, Supplier<String> compute) {
    Duration lifetime = CacheLifetime.of(params, now, Duration.ofSeconds(ttlSeconds));
    if (client == null || lifetime.isZero()) {
      return new Result(compute.get(), false);
    }
    String key = prefix + hash(endpoint + "?" + params.canonical());
    Optional<String> cached = read(key);
    if (cached.isPresent()) {
      hits.increment();
      return new Result(cached.get(), true);
    }
    misses.increment();
    String json = compute.get();
    write(key, json, lifetime);
    return new Result(json, false);
  }

  /** A response body and whether it came from the cache. */
  public record Result(String json, boolean hit) {}

  private Optional<String> read(String key) {
    try {
      return Optional.ofNullable(
          connection().async().get(key).get(REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS));
    } catch (Exception e) {
      failed();
      return Optional.empty();
    }
  }

  private void write(String key, String json, Duration lifetime) {
    try {
      connection()
          .async()
          .set(key, json, SetArgs.Builder.px(lifetime.toMillis()))
          .get(REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      failed();
    }
  }

  private void failed() {
    errors.increment();
    StatefulRedisConnection<String, String> c = connection;
    connection = null;
    if (c != null) {
      c.closeAsync();
    }
  }

  private StatefulRedisConnection<String, String> connection() {
    StatefulRedisConnection<String, String> c = connection;
    if (c == null || !c.isOpen()) {
      c = client.connect();
      c.setTimeout(Duration.ofMillis(REDIS_TIMEOUT_MS));
      connection = c;
    }
    return c;
  }

  static String hash(String text) {
    try {
      // Every UTF-16 unit as is: an encoder would replace a lone surrogate with '?' or U+FFFD
      // and make two different queries one key.
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        sha.update((byte) (c >>> 8));
        sha.update((byte) c);
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (client != null) {
      StatefulRedisConnection<String, String> c = connection;
      if (c != null) {
        c.close();
      }
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
