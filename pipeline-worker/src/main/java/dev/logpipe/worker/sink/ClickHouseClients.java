package dev.logpipe.worker.sink;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ClientFaultCause;
import dev.logpipe.worker.config.Credentials;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * Builds ClickHouse clients the same way everywhere (worker, gateway, operator): default
 * compression, bounded timeouts so an outage surfaces as an error and never as a hang.
 */
public final class ClickHouseClients {
  /** How long a read may wait for the server by default: generous for large batch inserts. */
  public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(60);

  private ClickHouseClients() {}

  public static Client create(String url, Credentials credentials, String database) {
    return create(url, credentials, database, DEFAULT_SOCKET_TIMEOUT);
  }

  /**
   * For health probes: connect and read bounded by {@code timeout}, one connection, and one retry
   * only for a pooled connection the server closed (after a restart), so a probe answers within
   * about {@code timeout} and never hides a server that is down behind retries.
   */
  public static Client probe(String url, Credentials credentials, Duration timeout) {
    return new Client.Builder()
        .addEndpoint(url)
        .setUsername(credentials.user())
        .setPassword(credentials.password() == null ? "" : credentials.password())
        .setConnectTimeout(timeout.toMillis(), ChronoUnit.MILLIS)
        .setConnectionRequestTimeout(timeout.toMillis(), ChronoUnit.MILLIS)
        .setSocketTimeout(timeout.toMillis(), ChronoUnit.MILLIS)
        .setMaxConnections(1)
        .retryOnFailures(ClientFaultCause.NoHttpResponse)
        .setMaxRetries(1)
        .build();
  }

  /**
   * With a socket (read) timeout of its own: the gateway uses its query execution limit plus a
   * margin, so a server that accepts connections but never answers fails the request as soon as a
   * healthy server would have given up on the query. Waiting for a pooled connection is bounded by
   * the same timeout (at most 10 s).
   */
  public static Client create(
      String url, Credentials credentials, String database, Duration socketTimeout) {
    Client.Builder builder =
        new Client.Builder()
            .addEndpoint(url)
            .setUsername(credentials.user())
            .setPassword(credentials.password() == null ? "" : credentials.password())
            .setConnectTimeout(5, ChronoUnit.SECONDS)
            .setConnectionRequestTimeout(
                Math.min(10_000, socketTimeout.toMillis()), ChronoUnit.MILLIS)
            .setSocketTimeout(socketTimeout.toMillis(), ChronoUnit.MILLIS)
            .setMaxConnections(8);
    if (database != null) {
      builder.setDefaultDatabase(database);
    }
    return builder.build();
  }
}
