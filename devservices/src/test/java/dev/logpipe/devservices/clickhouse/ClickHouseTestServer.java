package dev.logpipe.devservices.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import java.nio.file.Path;
import java.util.UUID;

/** Shared set-up for the ClickHouse ITs: the dev service (or an external one) and clients. */
final class ClickHouseTestServer {
  private ClickHouseTestServer() {}

  static ClickHouseDevService start(Path dataDir) {
    ClickHouseDevService service = ClickHouseDevService.fromEnvironment(dataDir);
    service.start();
    return service;
  }

  /** client-v2 with default settings: only endpoint and credentials. */
  static Client client(ClickHouseDevService service) {
    return new Client.Builder()
        .addEndpoint(service.endpoint())
        .setUsername(service.user())
        .setPassword(service.password())
        .build();
  }

  /** The server's error inside whatever the client wrapped it in. */
  static ServerException serverException(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof ServerException server) {
        return server;
      }
    }
    throw new AssertionError("no ServerException in the cause chain", thrown);
  }

  /** A fresh database name, so the tests also run against a shared real server. */
  static String uniqueDatabase(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  static String eventsTable(String database) {
    return "CREATE TABLE "
        + database
        + ".events ("
        + " ts DateTime64(3, 'UTC'),"
        + " service LowCardinality(String),"
        + " attrs Map(LowCardinality(String), String),"
        + " status Nullable(UInt16),"
        + " tags Array(LowCardinality(String)),"
        + " message String"
        + ") ENGINE = MergeTree ORDER BY (service, ts)"
        + " TTL toDateTime(ts) + INTERVAL 30 DAY"
        + " SETTINGS non_replicated_deduplication_window = 100";
  }
}
