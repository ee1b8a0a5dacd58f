package dev.logpipe.worker.gateway;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Splits a stats range into the whole minutes read from the rollup, [rollupFrom, rollupTo), and the
 * partial minutes at the edges read from the table. When the range holds no whole minute the rollup
 * part is empty and the edges cover everything.
 */
record StatsPlan(Instant from, Instant rollupFrom, Instant rollupTo, Instant to) {

  /** The rollup knows service, level and counts only: text and score filters need the table. */
  static boolean usesRollup(LogFilter filter) {
    return filter.text() == null && filter.minScore() == 0;
  }

  static StatsPlan of(TimeRange range) {
    Instant ceil = range.from().truncatedTo(ChronoUnit.MINUTES);
    if (ceil.isBefore(range.from())) {
      ceil = ceil.plus(1, ChronoUnit.MINUTES);
    }
    Instant floor = range.to().truncatedTo(ChronoUnit.MINUTES);
    if (!ceil.isBefore(floor)) {
      // No whole minute: an empty rollup window, the edges cover [from, to).
      return new StatsPlan(range.from(), range.to(), range.to(), range.to());
    }
    return new StatsPlan(range.from(), ceil, floor, range.to());
  }

  void appendRollupWhere(LogFilter filter, StringBuilder sql, Map<String, Object> params) {
    sql.append(" WHERE minute >= {r_from:DateTime('UTC')} AND minute < {r_to:DateTime('UTC')}");
    params.put("r_from", Sql.timestamp(rollupFrom).substring(0, 19));
    params.put("r_to", Sql.timestamp(rollupTo).substring(0, 19));
    appendServiceAndLevel(filter, sql, params);
  }

  void appendEdgesWhere(LogFilter filter, StringBuilder sql, Map<String, Object> params) {
    sql.append(
        " WHERE ((timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {e1_to:DateTime64(3, 'UTC')})"
            + " OR (timestamp >= {e2_from:DateTime64(3, 'UTC')} AND timestamp < {to:DateTime64(3, 'UTC')}))");
    params.put("from", Sql.timestamp(from));
    params.put("e1_to", Sql.timestamp(rollupFrom));
    params.put("e2_from", Sql.timestamp(rollupTo));
    params.put("to", Sql.timestamp(to));
    appendServiceAndLevel(filter, sql, params);
  }

  private static void appendServiceAndLevel(
      LogFilter filter, StringBuilder sql, Map<String, Object> params) {
    if (!filter.services().isEmpty()) {
      sql.append(" AND service IN {services:Array(String)}");
      params.put("services", filter.services());
    }
    if (!filter.levels().isEmpty()) {
      sql.append(" AND level IN {levels:Array(String)}");
      params.put("levels", filter.levels());
    }
  }
}
