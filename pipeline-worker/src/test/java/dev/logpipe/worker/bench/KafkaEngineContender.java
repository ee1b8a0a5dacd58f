package dev.logpipe.worker.bench;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import dev.logpipe.worker.config.LogTableSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The contender to the worker: ClickHouse's own Kafka table engine reading the same topic, with a
 * materialized view that parses the JSON lines into a table of the worker's shape ({@link
 * LogTableSchema}, rollup view included). Engine settings are left at ClickHouse's defaults.
 *
 * <p>As close to the worker's parsing as SQL allows: one JSON parse per record into a map; fixed
 * source names (ts, level, service, msg, host, trace_id, status, latency_ms, error_code) where the
 * worker also tries fallback names and maps {@code format.fields}; the worker's level aliases
 * (lower-cased only: no "[warn]" brackets or "30.0"); the timestamp replaced by the Kafka time when
 * unparseable, not after 1970 or more than a day ahead (with {@code _timestamp_error}); the default
 * anomaly rules. What it does not do: per-service error-burst detection (stateful), nested objects
 * flattened to dotted keys (kept as JSON text), Redis live views, and a dead-letter topic (a record
 * that is not a JSON object fails the block; the worker dead-letters it and goes on). The benchmark
 * input has no bad records, so the missing dead-letter path costs the engine nothing here.
 */
final class KafkaEngineContender {
  /** The worker's level spellings (LevelNormalizer), lower-cased, and what they normalise to. */
  private static final Map<String, String> LEVELS = levels();

  private final Client client;
  private final String database;

  KafkaEngineContender(Client client, String database) {
    this.client = client;
    this.database = database;
  }

  /** Creates the target table (as the operator would) and the engine's queue table. */
  void prepare(String table, String bootstrap, String topic, String group) throws Exception {
    for (String sql : LogTableSchema.create(database, table, 3650)) {
      execute(sql);
    }
    execute(
        "CREATE TABLE "
            + LogTableSchema.qualified(database, table + "_queue")
            + " (raw String) ENGINE = Kafka SETTINGS kafka_broker_list = '"
            + bootstrap
            + "', kafka_topic_list = '"
            + topic
            + "', kafka_group_name = '"
            + group
            + "', kafka_format = 'JSONAsString'");
  }

  /** Starts consuming: the view's creation attaches it to the queue. */
  void start(String table) throws Exception {
    execute(materializedView(table));
  }

  /** Detaches the view so the engine stops reading (drops nothing else). */
  void stop(String table) throws Exception {
    execute("DROP VIEW IF EXISTS " + LogTableSchema.qualified(database, table + "_mv"));
    execute("DROP TABLE IF EXISTS " + LogTableSchema.qualified(database, table + "_queue"));
  }

  long count(String table) {
    List<GenericRecord> rows =
        client.queryAll("SELECT count() AS n FROM " + LogTableSchema.qualified(database, table));
    return rows.get(0).getLong("n");
  }

  private void execute(String sql) throws Exception {
    client.execute(sql).get().close();
  }

  String materializedView(String table) {
    String mapped =
        "'ts','level','service','msg','host','trace_id','status','latency_ms'," + "'error_code'";
    return "CREATE MATERIALIZED VIEW "
        + LogTableSchema.qualified(database, table + "_mv")
        + " TO "
        + LogTableSchema.qualified(database, table)
        + " AS WITH JSONExtract(raw, 'Map(String, String)') AS m,"
        + " toInt64(toUnixTimestamp64Milli(_timestamp_ms)) AS record_ms,"
        + " parseDateTime64BestEffortOrNull(m['ts'], 3, 'UTC') AS parsed,"
        + " toInt64(toUnixTimestamp64Milli(parsed)) AS parsed_ms,"
        + " parsed IS NOT NULL AND parsed_ms > 0 AND parsed_ms - record_ms <= 86400000 AS ts_ok,"
        + " transform(lower(trimBoth(m['level'])), "
        + array(LEVELS.keySet())
        + ", "
        + array(LEVELS.values())
        + ", '') AS lvl,"
        + " toUInt16OrNull(m['status']) AS status, toFloat64OrNull(m['latency_ms']) AS latency,"
        + " m['error_code'] AS err,"
        + " [if(lvl IN ('ERROR', 'FATAL'), 'error-level', ''), if(status >= 500, 'http-5xx', ''),"
        + " if(status >= 400 AND status < 500, 'http-4xx', ''),"
        + " if(latency > 3000, 'slow-request', ''), if(err != '', 'error-code', '')] AS hits"
        + " SELECT if(ts_ok, parsed, _timestamp_ms) AS timestamp,"
        + " if(m['service'] = '', 'unknown', m['service']) AS service,"
        + " if(lvl = '', 'INFO', lvl) AS level, m['msg'] AS message, m['host'] AS host,"
        + " m['trace_id'] AS trace_id, status AS status_code, latency AS latency_ms,"
        + " err AS error_code,"
        + " mapUpdate(mapFilter((k, v) -> k NOT IN ("
        + mapped
        + "), m), mapFromArrays(if(ts_ok, [], ['_timestamp_error']),"
        + " if(ts_ok, [], [concat('ts ', m['ts'])]))) AS attributes,"
        + " toUInt8(least(100, (lvl IN ('ERROR', 'FATAL')) * 50 + (status >= 500) * 40"
        + " + (status >= 400 AND status < 500) * 15 + (latency > 3000) * 30 + (err != '') * 20))"
        + " AS anomaly_score,"
        + " arrayFilter(x -> x != '', hits) AS anomaly_reasons, now64(3) AS ingested_at,"
        + " _partition, _offset FROM "
        + LogTableSchema.qualified(database, table + "_queue");
  }

  private static String array(java.util.Collection<String> values) {
    return values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(",", "[", "]"));
  }

  private static Map<String, String> levels() {
    Map<String, String> m = new LinkedHashMap<>();
    put(m, "TRACE", "trace", "trc", "verbose", "vrb", "finest", "finer", "t", "10");
    put(m, "DEBUG", "debug", "dbg", "fine", "d", "7", "20");
    put(m, "INFO", "info", "information", "informational", "notice", "inf", "i", "5", "6", "30");
    put(m, "WARN", "warn", "warning", "wrn", "w", "4", "40");
    put(m, "ERROR", "error", "err", "severe", "eror", "e", "3", "50");
    put(m, "FATAL", "fatal", "critical", "crit", "panic", "dpanic", "emerg", "emergency");
    put(m, "FATAL", "alert", "ftl", "f", "0", "1", "2", "60");
    return m;
  }

  private static void put(Map<String, String> m, String level, String... names) {
    for (String name : names) {
      m.put(name, level);
    }
  }
}
