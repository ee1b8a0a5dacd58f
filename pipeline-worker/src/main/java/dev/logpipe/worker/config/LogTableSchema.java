package dev.logpipe.worker.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The single source of truth for the ClickHouse schema of a pipeline's table: the operator creates
 * and migrates it with these statements, the worker writes rows in {@link #COLUMNS} order, and the
 * tests create it the same way.
 *
 * <p>Deduplication design: before a batch is inserted, its exact offset ranges, Kafka topic id and
 * {@code insert_deduplication_token} are recorded in the {@code <table>_ledger} table; after a
 * restart or on assignment the worker resumes after the last recorded range and re-inserts an
 * unconfirmed one identically (same rows, same token), so ClickHouse drops the parts that had
 * landed ({@code non_replicated_deduplication_window}). Queries need no {@code FINAL}.
 */
public final class LogTableSchema {

  /** One column: name and ClickHouse type, in insertion (RowBinary) order. */
  public record Column(String name, String type) {}

  /** Version 1 columns; later versions append columns (added with ADD COLUMN IF NOT EXISTS). */
  public static final List<Column> COLUMNS =
      List.of(
          new Column("timestamp", "DateTime64(3, 'UTC')"),
          new Column("service", "LowCardinality(String)"),
          new Column("level", "LowCardinality(String)"),
          new Column("message", "String"),
          new Column("host", "LowCardinality(String)"),
          new Column("trace_id", "String"),
          new Column("status_code", "Nullable(UInt16)"),
          new Column("latency_ms", "Nullable(Float64)"),
          new Column("error_code", "LowCardinality(String)"),
          new Column("attributes", "Map(LowCardinality(String), String)"),
          new Column("anomaly_score", "UInt8"),
          new Column("anomaly_reasons", "Array(LowCardinality(String))"),
          new Column("ingested_at", "DateTime64(3, 'UTC')"),
          new Column("_partition", "UInt32"),
          new Column("_offset", "UInt64"));

  /**
   * Suffix of the legacy materialized view that held max(_offset) per Kafka partition (replaced by
   * the ledger, dropped by {@link #migrate}); the longest suffix of any object derived from the
   * table name.
   */
  public static final String OFFSETS_SUFFIX = "_offsets";

  /** Suffix of the batch ledger: the ranges and tokens of the batches being stored. */
  public static final String LEDGER_SUFFIX = "_ledger";

  /** Suffix of the per-minute rollup table (events, anomalies by service and level). */
  public static final String STATS_SUFFIX = "_stats";

  /** Suffix of the materialized view that feeds the rollup table. */
  public static final String STATS_VIEW_SUFFIX = "_stats_v";

  /** Oldest ClickHouse release with everything the schema and the worker rely on. */
  public static final String MINIMUM_SERVER_VERSION = "23.8";

  private LogTableSchema() {}

  /**
   * What a comment (the owner's identity the operator writes on databases and tables) may contain:
   * it stands in DDL as a literal, where ClickHouse takes no bound parameters, so the characters
   * are limited to ones that cannot end or escape the literal.
   */
  private static final Pattern COMMENT = Pattern.compile("[A-Za-z0-9 =/:._-]{0,256}");

  public static String createDatabase(String database) {
    return createDatabase(database, null);
  }

  /** Creates the database with {@code comment} (see {@link #comment}), or none when null. */
  public static String createDatabase(String database, String comment) {
    return "CREATE DATABASE IF NOT EXISTS "
        + SqlIdentifiers.quote("database", database)
        + (comment == null ? "" : " COMMENT " + comment(comment));
  }

  public static String createTable(String database, String table, int retentionDays) {
    return createTable(database, table, retentionDays, null);
  }

  /**
   * The log table, with {@code comment} (the owning pipeline's identity, see {@link #comment}) or
   * none when null.
   */
  public static String createTable(
      String database, String table, int retentionDays, String comment) {
    StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ");
    sql.append(qualified(database, table)).append(" (\n");
    for (int i = 0; i < COLUMNS.size(); i++) {
      Column c = COLUMNS.get(i);
      sql.append("  `").append(c.name()).append("` ").append(c.type());
      sql.append(i + 1 < COLUMNS.size() ? ",\n" : "\n");
    }
    sql.append(") ENGINE = MergeTree\n")
        .append("PARTITION BY toDate(timestamp)\n")
        .append("ORDER BY (service, timestamp)\n")
        .append(ttl(retentionDays))
        .append("\nSETTINGS non_replicated_deduplication_window = 1000");
    if (comment != null) {
      sql.append("\nCOMMENT ").append(comment(comment));
    }
    return sql.toString();
  }

  /** Replaces the table's comment (the operator stamps its owner on a table it adopts). */
  public static String modifyComment(String database, String table, String comment) {
    return "ALTER TABLE " + qualified(database, table) + " MODIFY COMMENT " + comment(comment);
  }

  /**
   * {@code comment} as a quoted literal; only letters, digits, space and {@code =/:._-} are allowed
   * (at most 256), so the literal needs no escaping and nothing can break out of it.
   */
  public static String comment(String comment) {
    if (comment == null || !COMMENT.matcher(comment).matches()) {
      throw new IllegalArgumentException(
          "comment '"
              + comment
              + "' is not allowed: use letters, digits, space and =/:._- (at most 256)");
    }
    return "'" + comment + "'";
  }

  /**
   * The batch ledger: one row per Kafka partition of a batch, written with {@code stored = 0}
   * before the batch is inserted and {@code stored = 1} once it was acknowledged. A row carries
   * every range of its batch, so any partition's new owner can re-insert the whole batch
   * identically. Merges keep the confirmation of a range; rows expire with the table's retention.
   */
  public static String createLedgerTable(String database, String table, int retentionDays) {
    return "CREATE TABLE IF NOT EXISTS "
        + derived(database, table, LEDGER_SUFFIX)
        + " (`topic_id` String, `partition` UInt32, `first_offset` UInt64, `last_offset` UInt64,"
        + " `token` String, `stored` UInt8, `batch_partitions` Array(UInt32),"
        + " `batch_first` Array(UInt64), `batch_last` Array(UInt64),"
        + " `written_at` DateTime64(3, 'UTC'))"
        + " ENGINE = ReplacingMergeTree(stored) ORDER BY (topic_id, partition, last_offset)"
        + " TTL toDateTime(written_at) + INTERVAL "
        + retentionDays(retentionDays)
        + " DAY";
  }

  /**
   * The latest ledger entry per partition of one topic id: the highest range, its confirmation
   * preferred. Parameters {@code topic_id} (String) and {@code partitions} (Array(UInt32)); rows of
   * (partition, first_offset, last_offset, token, stored, batch_partitions, batch_first,
   * batch_last).
   */
  public static String selectLatestLedgerEntries(String database, String table) {
    return "SELECT partition, e.1 AS first_offset, e.2 AS last_offset, e.3 AS token,"
        + " e.4 AS stored, e.5 AS batch_partitions, e.6 AS batch_first, e.7 AS batch_last FROM"
        + " (SELECT partition, argMax((first_offset, last_offset, token, stored, batch_partitions,"
        + " batch_first, batch_last), (last_offset, stored)) AS e FROM "
        + derived(database, table, LEDGER_SUFFIX)
        + " WHERE topic_id = {topic_id:String} AND has({partitions:Array(UInt32)}, partition)"
        + " GROUP BY partition)";
  }

  /**
   * Legacy: the view that kept max(_offset) per partition before the ledger. Tables created by
   * older versions have it; {@link #migrate} drops it.
   */
  public static String createOffsetsView(String database, String table) {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS "
        + derived(database, table, OFFSETS_SUFFIX)
        + " ENGINE = AggregatingMergeTree ORDER BY _partition"
        + " AS SELECT _partition, maxState(_offset) AS max_offset FROM "
        + qualified(database, table)
        + " GROUP BY _partition";
  }

  /**
   * The per-minute rollup table the stats queries read instead of scanning the table. Summing on
   * merge; queries always {@code sum()} so unmerged parts are counted correctly.
   */
  public static String createStatsTable(String database, String table, int retentionDays) {
    return "CREATE TABLE IF NOT EXISTS "
        + derived(database, table, STATS_SUFFIX)
        + " (`minute` DateTime('UTC'), `service` LowCardinality(String), `level` LowCardinality(String),"
        + " `events` UInt64, `anomalies` UInt64)"
        + " ENGINE = SummingMergeTree ORDER BY (minute, service, level) "
        + statsTtl(retentionDays);
  }

  /**
   * The view that feeds the rollup on every insert. A retried insert that ClickHouse deduplicates
   * in the table is not passed to the view either, so the rollup counts each row once.
   */
  public static String createStatsView(String database, String table) {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS "
        + derived(database, table, STATS_VIEW_SUFFIX)
        + " TO "
        + derived(database, table, STATS_SUFFIX)
        + " AS SELECT toStartOfMinute(timestamp) AS minute, service, level, count() AS events,"
        + " countIf(anomaly_score > 0) AS anomalies FROM "
        + qualified(database, table)
        + " GROUP BY minute, service, level";
  }

  /** Everything a new pipeline needs, in order; each statement is idempotent. */
  public static List<String> create(String database, String table, int retentionDays) {
    List<String> all = new java.util.ArrayList<>();
    all.add(createDatabase(database));
    all.addAll(createObjects(database, table, retentionDays));
    return List.copyOf(all);
  }

  /** The table and what is derived from it, for a database that exists. */
  public static List<String> createObjects(String database, String table, int retentionDays) {
    return createObjects(database, table, retentionDays, null);
  }

  /** The table (with {@code comment}, or none when null) and what is derived from it. */
  public static List<String> createObjects(
      String database, String table, int retentionDays, String comment) {
    return List.of(
        createTable(database, table, retentionDays, comment),
        createLedgerTable(database, table, retentionDays),
        createStatsTable(database, table, retentionDays),
        createStatsView(database, table));
  }

  /** Names of the objects derived from {@code table} (views and the rollup table). */
  public static List<String> derivedObjects(String table) {
    return List.of(table + LEDGER_SUFFIX, table + STATS_SUFFIX, table + STATS_VIEW_SUFFIX);
  }

  /** Drops the views (the legacy offsets view too), the ledger, then the table. */
  public static List<String> drop(String database, String table) {
    return List.of(
        "DROP VIEW IF EXISTS " + derived(database, table, STATS_VIEW_SUFFIX),
        dropOffsetsView(database, table),
        "DROP TABLE IF EXISTS " + derived(database, table, STATS_SUFFIX),
        "DROP TABLE IF EXISTS " + derived(database, table, LEDGER_SUFFIX),
        dropTable(database, table));
  }

  /**
   * Forward migration: idempotent statements that bring an older table to {@link #COLUMNS}, the
   * given retention, and the current set of views.
   */
  public static List<String> migrate(String database, String table, int retentionDays) {
    String target = qualified(database, table);
    List<String> statements = new java.util.ArrayList<>();
    for (Column c : COLUMNS) {
      statements.add(
          "ALTER TABLE " + target + " ADD COLUMN IF NOT EXISTS `" + c.name() + "` " + c.type());
    }
    statements.add("ALTER TABLE " + target + " MODIFY " + ttl(retentionDays));
    statements.add(createLedgerTable(database, table, retentionDays));
    // The ledger replaces the offsets view: the worker no longer reads it, and it cost a part per
    // insert.
    statements.add(dropOffsetsView(database, table));
    statements.add(createStatsTable(database, table, retentionDays));
    statements.add(createStatsView(database, table));
    statements.add(
        "ALTER TABLE "
            + derived(database, table, STATS_SUFFIX)
            + " MODIFY "
            + statsTtl(retentionDays));
    return statements;
  }

  /** The INSERT statement head the worker uses (column list in {@link #COLUMNS} order). */
  public static String insertInto(String database, String table) {
    StringBuilder sql = new StringBuilder("INSERT INTO ").append(qualified(database, table));
    sql.append(" (");
    for (int i = 0; i < COLUMNS.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append('`').append(COLUMNS.get(i).name()).append('`');
    }
    return sql.append(")").toString();
  }

  public static String dropTable(String database, String table) {
    return "DROP TABLE IF EXISTS " + qualified(database, table);
  }

  public static String dropOffsetsView(String database, String table) {
    return "DROP VIEW IF EXISTS " + derived(database, table, OFFSETS_SUFFIX);
  }

  static String ttl(int retentionDays) {
    return "TTL toDateTime(timestamp) + INTERVAL " + retentionDays(retentionDays) + " DAY";
  }

  private static String statsTtl(int retentionDays) {
    return "TTL minute + INTERVAL " + retentionDays(retentionDays) + " DAY";
  }

  private static int retentionDays(int days) {
    if (days < 1) {
      throw new IllegalArgumentException("retentionDays must be at least 1, was " + days);
    }
    return days;
  }

  /**
   * An object derived from {@code table} (a view, the rollup): the table name itself must be valid,
   * not only the name with its suffix ("" + "_offsets" would otherwise pass).
   */
  private static String derived(String database, String table, String suffix) {
    SqlIdentifiers.require("table", table);
    return qualified(database, table + suffix);
  }

  public static String qualified(String database, String table) {
    return SqlIdentifiers.quote("database", database) + "." + SqlIdentifiers.quote("table", table);
  }
}
