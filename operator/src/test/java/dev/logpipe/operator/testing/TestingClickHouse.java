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

  /** The COMMENT of {@code database.table} (the owner the operator wrote), or null. */
  public String comment(String database, String table) {
    var rows =
        client.queryAll(
            "SELECT comment FROM system.tables WHERE database = {db:String} AND name = {t:String}",
            Map.of("db", database, "t", table));
    return rows.isEmpty() ? null : rows.get(0).getString(1);
  }

  /** Rows in {@code database.table} (identifiers from the test, never from user input). */
  public long count(String database, String table) {
    return client
        .queryAll("SELECT count() FROM `" + database + "`.`" + table + "`")
        .get(0)
        .getLong(1);
  }

  /** Stores {@code rows} log rows as a worker would, positions from {@code firstOffset} on. */
  public void store(String database, String table, long firstOffset, int rows) {
    execute(
        "INSERT INTO `"
            + database
            + "`.`"
            + table
            + "` (timestamp, service, level, message, ingested_at, _partition, _offset)"
            + " SELECT now64(3), 'checkout', 'INFO', 'stored by tenant A', now64(3), 0, "
            + firstOffset
            + " + number FROM numbers("
            + rows
            + ")");
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
