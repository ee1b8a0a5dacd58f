package dev.logpipe.operator.testing;

import com.clickhouse.client.api.Client;
import dev.logpipe.devservices.DevServices;
import dev.logpipe.worker.config.Credentials;
import dev.logpipe.worker.sink.ClickHouseClients;
import java.util.HashMap;
import java.util.Map;

/** Reads ClickHouse's catalogue the way a user would check what the operator made. */
public final class TestingClickHouse implements AutoCloseable {
  private final Client client;

  public TestingClickHouse(String url, String user, String password) {
    client = ClickHouseClients.create(url, new Credentials(user, password), null);
  }

  /** The dev services' ClickHouse, local or external, with its credentials. */
  public static TestingClickHouse of(DevServices services) {
    return new TestingClickHouse(
        services.clickHouseUrl(), services.clickhouse().user(), services.clickhouse().password());
  }

  /** Table name → engine_full of every table and view in {@code database}. */
  public Map<String, String> tables(String database) {
    Map<String, String> out = new HashMap<>();
    client
        .queryAll(
            "SELECT name, engine_full FROM system.tables WHERE database = {db:String}",
            Map.of("db", database))
        .forEach(r -> out.put(r.getString("name"), r.getString("engine_full")));
    return out;
  }

  /** Column names of {@code database.table}, in table order. */
  public java.util.List<String> columns(String database, String table) {
    return client
        .queryAll(
            "SELECT name FROM system.columns WHERE database = {db:String} AND table = {t:String}"
                + " ORDER BY position",
            Map.of("db", database, "t", table))
        .stream()
        .map(r -> r.getString("name"))
        .toList();
  }

  public void execute(String sql) {
    try {
      client.execute(sql).get().close();
    } catch (Exception e) {
      throw new IllegalStateException(sql, e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
