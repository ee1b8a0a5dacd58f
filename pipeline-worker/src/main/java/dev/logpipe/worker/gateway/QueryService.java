package dev.logpipe.worker.gateway;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ConnectionInitiationException;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.TransportException;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.client.api.query.QuerySettings;
import dev.logpipe.worker.config.PipelineConfig;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the query endpoints against ClickHouse: parameters are validated into a {@link LogFilter},
 * SQL comes from {@link LogQueries}, values are bound, and each query carries an execution time
 * limit. Results are plain maps ready to serialise as JSON.
 */
public final class QueryService {
  static final Set<String> LOGS_PARAMS =
      Set.of("from", "to", "service", "level", "q", "anomalies", "min_score", "limit", "cursor");
  static final Set<String> STATS_PARAMS = Set.of("from", "to", "service", "level", "q", "interval");
  static final Set<String> ANOMALY_PARAMS =
      Set.of("from", "to", "service", "level", "q", "min_score", "limit");

  private final Client client;
  private final LogQueries queries;
  private final PipelineConfig.Gateway limits;

  public QueryService(
      Client client, PipelineConfig.ClickHouse clickhouse, PipelineConfig.Gateway limits) {
    this.client = client;
    this.queries = new LogQueries(clickhouse.database(), clickhouse.table());
    this.limits = limits;
  }

  public Map<String, Object> logs(QueryParameters q, Instant now) {
    LogFilter filter = LogFilter.from(q, now, limits.maxRangeDays());
    int limit = q.integer("limit", Math.min(100, limits.maxLimit()), 1, limits.maxLimit());
    String cursorText = q.single("cursor");
    Cursor cursor = cursorText == null || cursorText.isBlank() ? null : Cursor.decode(cursorText);
    Map<String, Object> params = LogFilter.newParams();
    List<GenericRecord> rows = run(queries.search(filter, cursor, limit, params), params);
    List<Map<String, Object>> events = new ArrayList<>();
    for (int i = 0; i < Math.min(limit, rows.size()); i++) {
      events.add(event(rows.get(i)));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("events", events);
    if (rows.size() > limit) {
      GenericRecord last = rows.get(limit - 1);
      body.put(
          "next_cursor",
          new Cursor(last.getLong("ts"), (int) last.getLong("_partition"), last.getLong("_offset"))
              .encode());
    } else {
      body.put("next_cursor", null);
    }
    body.put("from", filter.range().from().toString());
    body.put("to", filter.range().to().toString());
    return body;
  }

  public Map<String, Object> stats(QueryParameters q, Instant now) {
    LogFilter filter = LogFilter.from(q, now, limits.maxRangeDays());
    long step = Intervals.seconds(q.single("interval"), filter.range());
    Map<String, Object> countParams = LogFilter.newParams();
    List<Map<String, Object>> counts = new ArrayList<>();
    long total = 0;
    for (GenericRecord r : run(queries.countsByServiceAndLevel(filter, countParams), countParams)) {
      long n = r.getLong("events");
      total += n;
      counts.add(
          ordered("service", r.getString("service"), "level", r.getString("level"), "events", n));
    }
    Map<String, Object> histParams = LogFilter.newParams();
    Map<Long, Map<String, Object>> buckets = new LinkedHashMap<>();
    for (GenericRecord r : run(queries.histogram(filter, step, histParams), histParams)) {
      // One row per bucket and level, in bucket order: summed into one entry per bucket.
      Map<String, Object> b =
          buckets.computeIfAbsent(
              r.getLong("bucket"),
              t ->
                  ordered(
                      "time", Instant.ofEpochSecond(t).toString(),
                      "events", 0L,
                      "errors", 0L,
                      "anomalies", 0L,
                      "levels", new LinkedHashMap<String, Long>()));
      b.merge("events", r.getLong("events"), (x, y) -> (Long) x + (Long) y);
      b.merge("errors", r.getLong("errors"), (x, y) -> (Long) x + (Long) y);
      b.merge("anomalies", r.getLong("anomalies"), (x, y) -> (Long) x + (Long) y);
      @SuppressWarnings("unchecked")
      Map<String, Long> levels = (Map<String, Long>) b.get("levels");
      levels.put(r.getString("level"), r.getLong("events"));
    }
    List<Map<String, Object>> histogram = new ArrayList<>(buckets.values());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", filter.range().from().toString());
    body.put("to", filter.range().to().toString());
    body.put("interval_seconds", step);
    body.put("total", total);
    body.put("counts", counts);
    body.put("histogram", histogram);
    return body;
  }

  public Map<String, Object> anomalies(QueryParameters q, Instant now) {
    LogFilter parsed = LogFilter.from(q, now, limits.maxRangeDays());
    LogFilter filter =
        new LogFilter(
            parsed.range(),
            parsed.services(),
            parsed.levels(),
            parsed.text(),
            Math.max(1, parsed.minScore()));
    int limit = q.integer("limit", Math.min(100, limits.maxLimit()), 1, limits.maxLimit());
    Map<String, Object> params = LogFilter.newParams();
    List<Map<String, Object>> events = new ArrayList<>();
    List<GenericRecord> rows = run(queries.search(filter, null, limit, params), params);
    for (int i = 0; i < Math.min(limit, rows.size()); i++) {
      events.add(event(rows.get(i)));
    }
    Map<String, Object> topParams = LogFilter.newParams();
    List<Map<String, Object>> top = new ArrayList<>();
    for (GenericRecord r : run(queries.topAnomalousServices(filter, topParams), topParams)) {
      top.add(
          ordered(
              "service", r.getString("service"),
              "anomalies", r.getLong("anomalies"),
              "max_score", r.getLong("max_score"),
              "avg_score", r.getDouble("avg_score")));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", filter.range().from().toString());
    body.put("to", filter.range().to().toString());
    body.put("events", events);
    body.put("top_services", top);
    return body;
  }

  private List<GenericRecord> run(String sql, Map<String, Object> params) {
    QuerySettings settings =
        new QuerySettings()
            .setMaxExecutionTime(limits.queryTimeoutSeconds())
            .serverSetting("max_result_rows", String.valueOf(LogQueries.MAX_BUCKETS * 10))
            .serverSetting("result_overflow_mode", "throw");
    try {
      return client.queryAll(sql, params, settings);
    } catch (RuntimeException e) {
      throw failure(e, limits.queryTimeoutSeconds());
    }
  }

  /**
   * A failed query as what the caller gets: a 503 {@link BackendUnavailable} (with a message saying
   * what happened) only when ClickHouse could not be reached, did not answer, or gave up on the
   * execution limit; anything else (an error ClickHouse returns for our SQL, a defect here) is
   * returned as is, so the server answers 500 and logs it once with its stack trace.
   */
  static RuntimeException failure(RuntimeException e, int timeoutSeconds) {
    ServerException server = cause(e, ServerException.class);
    if (server != null && server.getCode() == ServerException.EXECUTION_TIMEOUT) {
      return new BackendUnavailable(
          "the query ran into its "
              + timeoutSeconds
              + " s execution limit; narrow the time range or the filters",
          e);
    }
    if (server != null) {
      return e;
    }
    if (cause(e, SocketTimeoutException.class) != null) {
      return new BackendUnavailable(
          "ClickHouse did not answer within the " + timeoutSeconds + " s query limit", e);
    }
    if (cause(e, IOException.class) != null
        || cause(e, ConnectionInitiationException.class) != null
        || cause(e, TransportException.class) != null) {
      return new BackendUnavailable("ClickHouse is unavailable", e);
    }
    return e;
  }

  private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static Map<String, Object> event(GenericRecord r) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("timestamp", Instant.ofEpochMilli(r.getLong("ts")).toString());
    e.put("service", r.getString("service"));
    e.put("level", r.getString("level"));
    e.put("message", r.getString("message"));
    e.put("host", r.getString("host"));
    e.put("trace_id", r.getString("trace_id"));
    e.put("status_code", r.hasValue("status_code") ? (Object) r.getInteger("status_code") : null);
    e.put("latency_ms", r.hasValue("latency_ms") ? (Object) r.getDouble("latency_ms") : null);
    e.put("error_code", r.getString("error_code"));
    e.put("attributes", r.getObject("attributes"));
    e.put("anomaly_score", r.getInteger("anomaly_score"));
    e.put("anomaly_reasons", r.getList("anomaly_reasons"));
    e.put("partition", r.getLong("_partition"));
    e.put("offset", r.getLong("_offset"));
    return e;
  }

  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
