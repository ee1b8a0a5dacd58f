package dev.logpipe.worker.sink;

import com.clickhouse.client.api.Client;
import dev.logpipe.worker.config.Credentials;
import java.time.temporal.ChronoUnit;

/**
 * Builds ClickHouse clients the same way everywhere (worker, gateway, operator): default
 * compression, bounded timeouts so an outage surfaces as an error and never as a hang.
 */
public final class ClickHouseClients {
  private ClickHouseClients() {}

  public static Client create(String url, Credentials credentials, String database) {
    Client.Builder builder =
        new Client.Builder()
            .addEndpoint(url)
            .setUsername(credentials.user())
            .setPassword(credentials.password() == null ? "" : credentials.password())
            .setConnectTimeout(5, ChronoUnit.SECONDS)
            .setConnectionRequestTimeout(10, ChronoUnit.SECONDS)
            .setSocketTimeout(60, ChronoUnit.SECONDS)
            .setMaxConnections(8);
    if (database != null) {
      builder.setDefaultDatabase(database);
    }
    return builder.build();
  }
}
