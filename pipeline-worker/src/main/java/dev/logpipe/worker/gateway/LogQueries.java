package dev.logpipe.worker.gateway;

import dev.logpipe.worker.config.LogTableSchema;
import java.util.Map;

/**
 * The SQL of the query endpoints. Table and database are validated identifiers from the pipeline
 * config; every request value is a bound parameter added by {@link LogFilter} and {@link Cursor}.
 * Row limits are bound too; time and execution limits are enforced by the caller.
 */
public final class LogQueries {
  /** Largest number of histogram buckets one stats query may produce. */
  public static final int MAX_BUCKETS = 2_000;

  private final String table;

  public LogQueries(String database, String table) {
    this.table = LogTableSchema.qualified(database, table);
  }

  /** Newest first, keyset paged; asks for one row more than the limit to know if there is more. */
  public String search(LogFilter filter, Cursor cursor, int limit, Map<String, Object> params) {
    StringBuilder sql =
        new StringBuilder("SELECT ").append(Sql.EVENT_COLUMNS).append(" FROM ").append(table);
    filter.appendWhere(sql, params);
    if (cursor != null) {
      cursor.appendCondition(sql, params);
    }
    sql.append(" ORDER BY timestamp DESC, _partition DESC, _offset DESC LIMIT {limit:UInt32}");
    params.put("limit", limit + 1);
    return sql.toString();
  }

  public String countsByServiceAndLevel(LogFilter filter, Map<String, Object> params) {
    StringBuilder sql =
        new StringBuilder("SELECT service, level, count() AS events FROM ").append(table);
    filter.appendWhere(sql, params);
    return sql.append(" GROUP BY service, level ORDER BY events DESC, service, level LIMIT 10000")
        .toString();
  }

  public String histogram(LogFilter filter, long stepSeconds, Map<String, Object> params) {
    StringBuilder sql =
        new StringBuilder(
                "SELECT toUnixTimestamp(toStartOfInterval(timestamp, toIntervalSecond({step:UInt32}))) AS bucket,"
                    + " count() AS events, countIf(level IN ('ERROR', 'FATAL')) AS errors,"
                    + " countIf(anomaly_score > 0) AS anomalies FROM ")
            .append(table);
    params.put("step", stepSeconds);
    filter.appendWhere(sql, params);
    return sql.append(" GROUP BY bucket ORDER BY bucket").toString();
  }

  public String topAnomalousServices(LogFilter filter, Map<String, Object> params) {
    StringBuilder sql =
        new StringBuilder(
                "SELECT service, count() AS anomalies, max(anomaly_score) AS max_score,"
                    + " round(avg(anomaly_score), 1) AS avg_score FROM ")
            .append(table);
    filter.appendWhere(sql, params);
    return sql.append(" GROUP BY service ORDER BY anomalies DESC, service LIMIT 10").toString();
  }
}
