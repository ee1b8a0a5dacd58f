package dev.logpipe.worker.gateway;

import dev.logpipe.worker.model.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The filters shared by every query endpoint, turned into a WHERE clause whose values are all bound
 * parameters ({@code {name:Type}}); nothing from the request is placed in the SQL text.
 */
public record LogFilter(
    TimeRange range, List<String> services, List<String> levels, String text, int minScore) {

  public static LogFilter from(QueryParameters q, Instant now, int maxRangeDays) {
    TimeRange range = TimeRange.parse(q.single("from"), q.single("to"), now, maxRangeDays);
    List<String> levels = new ArrayList<>();
    for (String level : q.many("level", 6, 10)) {
      String upper = level.toUpperCase(Locale.ROOT);
      try {
        Level.valueOf(upper);
      } catch (IllegalArgumentException e) {
        throw new BadRequest(
            "level",
            "level must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL, was '"
                + QueryParameters.abbreviate(level)
                + "'");
      }
      levels.add(upper);
    }
    String text = q.single("q");
    if (text != null && text.length() > 1000) {
      throw new BadRequest("q", "q may be at most 1000 characters");
    }
    int minScore = q.integer("min_score", 0, 0, 100);
    if (q.flag("anomalies") && minScore == 0) {
      minScore = 1;
    }
    return new LogFilter(
        range,
        q.many("service", 50, 256),
        levels,
        text == null || text.isEmpty() ? null : text,
        minScore);
  }

  /** Appends the WHERE clause to {@code sql} and the bound values to {@code params}. */
  public void appendWhere(StringBuilder sql, Map<String, Object> params) {
    sql.append(
        " WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}");
    params.put("from", Sql.timestamp(range.from()));
    params.put("to", Sql.timestamp(range.to()));
    if (!services.isEmpty()) {
      sql.append(" AND service IN {services:Array(String)}");
      params.put("services", services);
    }
    if (!levels.isEmpty()) {
      sql.append(" AND level IN {levels:Array(String)}");
      params.put("levels", levels);
    }
    if (text != null) {
      sql.append(" AND positionCaseInsensitiveUTF8(message, {q:String}) > 0");
      params.put("q", text);
    }
    if (minScore > 0) {
      sql.append(" AND anomaly_score >= {min_score:UInt8}");
      params.put("min_score", minScore);
    }
  }

  public static Map<String, Object> newParams() {
    return new LinkedHashMap<>();
  }
}
