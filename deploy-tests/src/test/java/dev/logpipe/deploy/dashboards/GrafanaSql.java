package dev.logpipe.deploy.dashboards;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A dashboard query as Grafana and the ClickHouse datasource plugin (grafana-clickhouse-datasource
 * v4) send it: template variables interpolated by Grafana with their format ({@code singlequote},
 * {@code sqlstring}, raw), then the plugin's macros expanded the way its {@code pkg/macros} does
 * ({@code $__timeFilter} as whole seconds, {@code $__timeInterval} as {@code toStartOfInterval}).
 */
final class GrafanaSql {
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([a-z_]+)(?::([a-z]+))?}|\\$(?!__)([a-z_]+)\\b");
  private static final Pattern MACRO = Pattern.compile("\\$__([a-zA-Z_]+)(?:\\(([^)]*)\\))?");

  private GrafanaSql() {}

  static String expand(
      String sql, Map<String, List<String>> variables, Instant from, Instant to, long stepSeconds) {
    Matcher v = VARIABLE.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (v.find()) {
      String name = v.group(1) != null ? v.group(1) : v.group(3);
      List<String> values = variables.get(name);
      if (values == null) {
        throw new IllegalArgumentException("no value for variable " + name + " in " + sql);
      }
      String format = v.group(2) == null ? "raw" : v.group(2);
      String text =
          switch (format) {
            case "singlequote" ->
                values.stream()
                    .map(x -> "'" + x.replace("'", "\\'") + "'")
                    .collect(Collectors.joining(","));
            case "sqlstring" ->
                values.stream()
                    .map(x -> "'" + x.replace("'", "''") + "'")
                    .collect(Collectors.joining(","));
            case "raw" -> String.join(",", values);
            default -> throw new IllegalArgumentException("format " + format + " not modelled");
          };
      v.appendReplacement(out, Matcher.quoteReplacement(text));
    }
    v.appendTail(out);
    Matcher m = MACRO.matcher(out.toString());
    StringBuilder expanded = new StringBuilder();
    while (m.find()) {
      String arg = m.group(2);
      String text =
          switch (m.group(1)) {
            case "timeFilter" ->
                arg
                    + " >= toDateTime("
                    + from.getEpochSecond()
                    + ") AND "
                    + arg
                    + " <= toDateTime("
                    + to.getEpochSecond()
                    + ")";
            case "timeInterval" ->
                "toStartOfInterval(toDateTime(" + arg + "), INTERVAL " + stepSeconds + " second)";
            case "interval_s" -> String.valueOf(stepSeconds);
            case "fromTime" -> "toDateTime(" + from.getEpochSecond() + ")";
            case "toTime" -> "toDateTime(" + to.getEpochSecond() + ")";
            default ->
                throw new IllegalArgumentException("macro $__" + m.group(1) + " not modelled");
          };
      m.appendReplacement(expanded, Matcher.quoteReplacement(text));
    }
    m.appendTail(expanded);
    return expanded.toString();
  }
}
