package dev.logpipe.worker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.worker.config.LogTableSchema;
import dev.logpipe.worker.model.LogEvent;
import dev.logpipe.worker.sink.BatchLedger;
import dev.logpipe.worker.sink.ClickHouseBatchWriter;
import dev.logpipe.worker.sink.RowBinaryEncoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The DDL the operator runs, against a real ClickHouse: create, migrate (twice), drop. */
@WithDevServices(DevServices.Kind.CLICKHOUSE)
class LogTableSchemaIT {

  @Test
  void createsMigratesRetentionIdempotentlyAndDrops(DevServices services) throws Exception {
    try (Client client = TestPipeline.clickHouse(services)) {
      for (String sql : LogTableSchema.create("logs_schema", "orders", 14)) {
        run(client, sql);
      }
      for (int i = 0; i < 2; i++) {
        for (String sql : LogTableSchema.migrate("logs_schema", "orders", 30)) {
          run(client, sql);
        }
      }
      assertThat(createQuery(client, "orders")).contains("toIntervalDay(30)");
      assertThat(createQuery(client, "orders_stats"))
          .contains("SummingMergeTree")
          .contains("toIntervalDay(30)");
      for (String sql : LogTableSchema.drop("logs_schema", "orders")) {
        run(client, sql);
      }
      assertThat(client.queryAll("SELECT name FROM system.tables WHERE database = 'logs_schema'"))
          .isEmpty();
    }
  }

  /** The owner comments the operator writes are accepted by the server and read back as written. */
  @Test
  void databaseAndTableCarryTheirOwnersComment(DevServices services) throws Exception {
    String owner = "logpipe owner pipeline=team-a/x-y uid=0f3c-11 backend=default";
    try (Client client = TestPipeline.clickHouse(services)) {
      run(client, LogTableSchema.createDatabase("logs_owned", "logpipe database namespace=team-a"));
      for (String sql : LogTableSchema.createObjects("logs_owned", "x_y", 14, owner)) {
        run(client, sql);
      }
      assertThat(comment(client, "tables", "database = 'logs_owned' AND name = 'x_y'"))
          .isEqualTo(owner);
      assertThat(comment(client, "databases", "name = 'logs_owned'"))
          .isEqualTo("logpipe database namespace=team-a");
      run(client, LogTableSchema.modifyComment("logs_owned", "x_y", owner + " adopted"));
      assertThat(comment(client, "tables", "database = 'logs_owned' AND name = 'x_y'"))
          .isEqualTo(owner + " adopted");
      for (String sql : LogTableSchema.drop("logs_owned", "x_y")) {
        run(client, sql);
      }
    }
  }

  private static String comment(Client client, String systemTable, String where) {
    return client
        .queryAll("SELECT comment FROM system." + systemTable + " WHERE " + where)
        .get(0)
        .getString(1);
  }

  /**
   * A table of an older schema version: the real DDL without three of today's columns, a 7-day TTL
   * and only the offsets view (the rollup came later), holding rows. Migration brings it to today's
   * columns, TTL and objects (the ledger replaces the offsets view), keeps the rows, and the
   * worker's RowBinary insert works on it.
   */
  @Test
  void migratesAnOlderTableForwardKeepingItsRows(DevServices services) throws Exception {
    List<String> missing = List.of("error_code", "anomaly_reasons", "ingested_at");
    String current = LogTableSchema.createTable("logs_legacy", "legacy", 7);
    String old = current;
    for (String column : missing) {
      String line =
          current
              .lines()
              .filter(l -> l.strip().startsWith("`" + column + "`"))
              .findFirst()
              .orElseThrow();
      old = old.replace(line + "\n", "");
    }
    assertThat(old).doesNotContain("`error_code`").contains("`attributes`");
    try (Client client = TestPipeline.clickHouse(services)) {
      run(client, LogTableSchema.createDatabase("logs_legacy"));
      run(client, old);
      run(client, LogTableSchema.createOffsetsView("logs_legacy", "legacy"));
      run(
          client,
          "INSERT INTO logs_legacy.legacy (timestamp, service, level, message, host, trace_id,"
              + " status_code, latency_ms, attributes, anomaly_score, _partition, _offset) VALUES"
              + " ('2099-01-01 10:00:00.123', 'checkout', 'ERROR', 'old row 1', 'h1', 't1', 503,"
              + " 12.5, map('region', 'eu'), 60, 0, 0),"
              + " ('2099-01-01 10:00:01.000', 'search', 'INFO', 'old row 2', 'h2', 't2', NULL,"
              + " NULL, map(), 0, 1, 0)");
      assertThat(columns(client, "logs_legacy", "legacy"))
          .doesNotContainKeys("error_code", "ingested_at");
      assertThat(createQuery(client, "logs_legacy", "legacy")).contains("toIntervalDay(7)");

      for (int i = 0; i < 2; i++) {
        for (String sql : LogTableSchema.migrate("logs_legacy", "legacy", 30)) {
          run(client, sql);
        }
      }

      Map<String, String> expected = new LinkedHashMap<>();
      LogTableSchema.COLUMNS.forEach(c -> expected.put(c.name(), c.type()));
      assertThat(columns(client, "logs_legacy", "legacy")).isEqualTo(expected);
      assertThat(createQuery(client, "logs_legacy", "legacy"))
          .contains("toIntervalDay(30)")
          .doesNotContain("toIntervalDay(7)")
          .contains("non_replicated_deduplication_window = 1000");
      assertThat(createQuery(client, "logs_legacy", "legacy_stats")).contains("toIntervalDay(30)");
      assertThat(
              client.queryAll(
                  "SELECT name FROM system.tables WHERE database = 'logs_legacy'"
                      + " AND name LIKE 'legacy%' ORDER BY name"))
          .extracting(r -> r.getString(1))
          .containsExactly("legacy", "legacy_ledger", "legacy_stats", "legacy_stats_v");

      List<GenericRecord> rows =
          client.queryAll(
              "SELECT message, service, status_code, attributes['region'], error_code,"
                  + " length(anomaly_reasons), toUnixTimestamp64Milli(ingested_at)"
                  + " FROM logs_legacy.legacy ORDER BY _partition");
      assertThat(rows).hasSize(2);
      assertThat(rows.get(0).getString(1)).isEqualTo("old row 1");
      assertThat(rows.get(0).getString(2)).isEqualTo("checkout");
      assertThat(rows.get(0).getInteger(3)).isEqualTo(503);
      assertThat(rows.get(0).getString(4)).isEqualTo("eu");
      assertThat(rows.get(0).getString(5)).isEmpty();
      assertThat(rows.get(0).getLong(6)).isZero();
      assertThat(rows.get(0).getLong(7)).isZero();
      assertThat(rows.get(1).getString(1)).isEqualTo("old row 2");

      // The worker's insert (columns named in today's order) works on the migrated table, its
      // count of stored positions covers the old rows, and the new ledger answers.
      RowBinaryEncoder encoder = new RowBinaryEncoder();
      encoder.encode(
          new LogEvent()
              .timestampMs(4_070_944_800_000L)
              .service("checkout")
              .level("WARN")
              .message("new row")
              .errorCode("E42")
              .ingestedAtMs(4_070_944_800_500L)
              .source(0, 1));
      ClickHouseBatchWriter writer = new ClickHouseBatchWriter(client, "logs_legacy", "legacy", 30);
      writer.insert(encoder::writeTo, "migrated-1");
      assertThat(
              writer.storedPositions(
                  List.of(new BatchLedger.Range(0, 0, 5), new BatchLedger.Range(1, 0, 5)),
                  0,
                  4_102_444_800_000L))
          .isEqualTo(3);
      BatchLedger ledger = new BatchLedger(client, "logs_legacy", "legacy", 30);
      BatchLedger.Entry older =
          new BatchLedger.Entry("id1", "t1", List.of(new BatchLedger.Range(0, 0, 0)), true);
      BatchLedger.Entry pending =
          new BatchLedger.Entry(
              "id1",
              "t2",
              List.of(new BatchLedger.Range(0, 1, 1), new BatchLedger.Range(1, 0, 0)),
              false);
      ledger.write(List.of(older, pending));
      assertThat(ledger.latest("id1", List.of(0, 1, 2))).isEqualTo(Map.of(0, pending, 1, pending));
      assertThat(ledger.latest("id2", List.of(0, 1))).isEmpty();
      ledger.write(List.of(pending.confirmed()));
      assertThat(ledger.latest("id1", List.of(0))).isEqualTo(Map.of(0, pending.confirmed()));
      assertThat(
              client
                  .queryAll(
                      "SELECT error_code, toUnixTimestamp64Milli(ingested_at) FROM"
                          + " logs_legacy.legacy WHERE message = 'new row'")
                  .get(0)
                  .getString(1))
          .isEqualTo("E42");
      assertThat(client.queryAll("SELECT count() FROM logs_legacy.legacy").get(0).getLong(1))
          .isEqualTo(3);
      for (String sql : LogTableSchema.drop("logs_legacy", "legacy")) {
        run(client, sql);
      }
    }
  }

  private static Map<String, String> columns(Client client, String database, String table) {
    Map<String, String> columns = new LinkedHashMap<>();
    for (GenericRecord r :
        client.queryAll(
            "SELECT name, type FROM system.columns WHERE database = '"
                + database
                + "' AND table = '"
                + table
                + "' ORDER BY name")) {
      columns.put(r.getString(1), r.getString(2));
    }
    return columns;
  }

  private static void run(Client client, String sql) throws Exception {
    client.execute(sql).get(30, TimeUnit.SECONDS).close();
  }

  private static String createQuery(Client client, String table) {
    return createQuery(client, "logs_schema", table);
  }

  private static String createQuery(Client client, String database, String table) {
    return client
        .queryAll(
            "SELECT create_table_query FROM system.tables WHERE database = '"
                + database
                + "' AND name = '"
                + table
                + "'")
        .get(0)
        .getString(1);
  }
}
