package dev.logpipe.worker.health;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Asks ClickHouse {@code SELECT 1} on a client of its own with short timeouts, so a server that is
 * down or hung shows within seconds, whether or not a batch is being stored. The consume loop also
 * uses it to retry a failed batch as soon as ClickHouse answers again instead of waiting out its
 * backoff.
 */
public final class ClickHouseProbe implements AutoCloseable {
  private final Client client;
  private final Duration timeout;
  private volatile BackendStatus status = BackendStatus.UNKNOWN;
  private volatile long answeredAtNanos;

  /** {@code client} must have socket and connect timeouts of about {@code timeout}. */
  public ClickHouseProbe(Client client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  /** One probe; records and returns what it found. */
  public BackendStatus probe() {
    long started = System.nanoTime();
    BackendStatus found;
    try {
      client.queryAll("SELECT 1");
      answeredAtNanos = started;
      found = BackendStatus.up(started);
    } catch (RuntimeException e) {
      found = BackendStatus.down(describe(e), started);
    }
    status = found;
    return found;
  }

  public BackendStatus status() {
    return status;
  }

  /** True when a probe started at or after {@code nanos} (System.nanoTime) got an answer. */
  public boolean answeredSince(long nanos) {
    long answered = answeredAtNanos;
    return answered != 0 && answered - nanos >= 0;
  }

  private String describe(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return "ClickHouse did not answer within " + timeout.toMillis() / 1000.0 + " s (hung?)";
      }
      if (t instanceof ServerException server) {
        return "ClickHouse answered with error " + server.getCode() + ": " + RootCause.of(server);
      }
    }
    return "ClickHouse unreachable: " + RootCause.of(e);
  }

  @Override
  public void close() {
    client.close();
  }
}
