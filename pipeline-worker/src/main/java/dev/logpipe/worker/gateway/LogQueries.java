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
  private final String rollup;

  public LogQueries(String database, String table) {
    this.table = LogTableSchema.qualified(database, table);
    this.rollup = LogTableSchema.qualified(database, table + LogTableSchema.STATS_SUFFIX);
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

  /**
   * Counts by service and level. Without a text or score filter the whole minutes of the range come
   * from the per-minute rollup and only the partial minutes at either end from the table, so the
   * answer is exact and a day costs a few thousand rollup rows instead of a full scan.
   */
  public String countsByServiceAndLevel(LogFilter filter, Map<String, Object> params) {
    if (!StatsPlan.usesRollup(filter)) {
      StringBuilder sql =
          new StringBuilder("SELECT service, level, count() AS events FROM ").append(table);
      filter.appendWhere(sql, params);
      return sql.append(" GROUP BY service, level ORDER BY events DESC, service, level LIMIT 10000")
          .toString();
    }
    StatsPlan plan = StatsPlan.of(filter.range());
    StringBuilder sql =
        new StringBuilder(
            "SELECT service, level, sum(events) AS events FROM (SELECT service, level, events FROM ");
    sql.append(rollup);
    plan.appendRollupWhere(filter, sql, params);
    sql.append(" UNION ALL SELECT service, level, toUInt64(1) AS events FROM ").append(table);
    plan.appendEdgesWhere(filter, sql, params);
    return sql.append(") GROUP BY service, level ORDER BY events DESC, service, level LIMIT 10000")
        .toString();
  }

  /**
   * Events, errors and anomalies per bucket of {@code stepSeconds} and level (the explorer stacks
   * its histogram by level), from the rollup when it can.
   */
  public String histogram(LogFilter filter, long stepSeconds, Map<String, Object> params) {
    params.put("step", stepSeconds);
    String bucket = "intDiv(toUnixTimestamp(%s), {step:UInt32}) * {step:UInt32} AS bucket";
    if (!StatsPlan.usesRollup(filter) || stepSeconds % 60 != 0) {
      StringBuilder sql =
          new StringBuilder("SELECT ")
              .append(bucket.formatted("timestamp"))
              .append(", level, count() AS events, countIf(level IN ('ERROR', 'FATAL')) AS errors,")
              .append(" countIf(anomaly_score > 0) AS anomalies FROM ")
              .append(table);
      filter.appendWhere(sql, params);
      return sql.append(" GROUP BY bucket, level ORDER BY bucket, level").toString();
    }
    StatsPlan plan = StatsPlan.of(filter.range());
    StringBuilder sql =
        new StringBuilder(
                "SELECT bucket, level, sum(events) AS events, sum(errors) AS errors, sum(anomalies) AS anomalies FROM (")
            .append("SELECT ")
            .append(bucket.formatted("minute"))
            .append(
                ", level, events, if(level IN ('ERROR', 'FATAL'), events, 0) AS errors, anomalies FROM ")
            .append(rollup);
    plan.appendRollupWhere(filter, sql, params);
    sql.append(" UNION ALL SELECT ")
        .append(bucket.formatted("timestamp"))
        .append(", level, toUInt64(1) AS events, toUInt64(level IN ('ERROR', 'FATAL')) AS errors,")
        .append(" toUInt64(anomaly_score > 0) AS anomalies FROM ")
        .append(table);
    plan.appendEdgesWhere(filter, sql, params);
    return sql.append(") GROUP BY bucket, level ORDER BY bucket, level").toString();
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
