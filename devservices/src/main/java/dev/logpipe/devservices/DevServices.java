package dev.logpipe.devservices;

import dev.logpipe.devservices.clickhouse.ClickHouseDevService;
import dev.logpipe.devservices.kafka.KafkaDevService;
import dev.logpipe.devservices.redis.RedisDevService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A set of dev services under one base directory, started together (in parallel) and stopped
 * together. {@code LOGPIPE_CLICKHOUSE_URL} points the ClickHouse slot at an external server (23.8+)
 * instead of starting chDB (see {@link ClickHouseDevService#fromEnvironment}).
 */
public final class DevServices implements AutoCloseable {
  /** The services this module can run. */
  public enum Kind {
    KAFKA,
    CLICKHOUSE,
    REDIS
  }

  private final Path baseDir;
  private final Map<Kind, DevService> services = new EnumMap<>(Kind.class);

  private DevServices(Path baseDir) {
    this.baseDir = baseDir;
  }

  /** Starts the given kinds under {@code baseDir} and returns once all accept requests. */
  public static DevServices start(Path baseDir, Set<Kind> kinds) {
    DevServices devServices = new DevServices(baseDir);
    try {
      Files.createDirectories(baseDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    devServices.ensure(kinds);
    return devServices;
  }

  /** Starts the kinds not yet running (in parallel); those already here are left alone. */
  public synchronized void ensure(Set<Kind> kinds) {
    List<DevService> added = new ArrayList<>();
    for (Kind kind : kinds) {
      if (!services.containsKey(kind)) {
        DevService service = create(kind);
        services.put(kind, service);
        added.add(service);
      }
    }
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    for (DevService service : added) {
      starts.add(CompletableFuture.runAsync(service::start));
    }
    try {
      CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private DevService create(Kind kind) {
    return switch (kind) {
      case KAFKA -> new KafkaDevService(baseDir.resolve("kafka"));
      case REDIS -> new RedisDevService(baseDir.resolve("redis"));
      case CLICKHOUSE -> ClickHouseDevService.fromEnvironment(baseDir.resolve("clickhouse"));
    };
  }

  public Path baseDir() {
    return baseDir;
  }

  public synchronized boolean has(Kind kind) {
    return services.containsKey(kind);
  }

  public synchronized DevService service(Kind kind) {
    DevService service = services.get(kind);
    if (service == null) {
      throw new IllegalStateException(kind + " was not requested from DevServices");
    }
    return service;
  }

  public KafkaDevService kafka() {
    return (KafkaDevService) service(Kind.KAFKA);
  }

  public ClickHouseDevService clickhouse() {
    return (ClickHouseDevService) service(Kind.CLICKHOUSE);
  }

  public RedisDevService redis() {
    return (RedisDevService) service(Kind.REDIS);
  }

  public String kafkaBootstrap() {
    return service(Kind.KAFKA).endpoint();
  }

  /** Kafka's SASL_PLAINTEXT listener: SCRAM-SHA-512 users, ACLs enforced. */
  public String kafkaScramBootstrap() {
    return kafka().scramEndpoint();
  }

  public String clickHouseUrl() {
    return service(Kind.CLICKHOUSE).endpoint();
  }

  public String redisUrl() {
    return service(Kind.REDIS).endpoint();
  }

  @Override
  public synchronized void close() {
    RuntimeException failure = null;
    for (DevService service : services.values()) {
      try {
        service.stop();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
