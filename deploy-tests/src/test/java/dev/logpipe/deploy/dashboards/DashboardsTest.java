package dev.logpipe.deploy.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logpipe.deploy.Repo;
import dev.logpipe.deploy.Yaml;
import dev.logpipe.worker.config.LogTableSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards shipped in the chart parse, pick their datasource from a variable, and
 * query only columns of the pipeline table ({@link LogTableSchema#COLUMNS}) or metrics and labels
 * the worker and JOSDK really expose ({@link RealMetrics}).
 */
class DashboardsTest {
  private static JsonNode clickhouse;
  private static JsonNode prometheus;
  private static RealMetrics real;

  @BeforeAll
  static void load() throws IOException {
    clickhouse =
        Yaml.JSON.readTree(Repo.read(Repo.CHART.resolve("dashboards/logpipe-clickhouse.json")));
    prometheus =
        Yaml.JSON.readTree(Repo.read(Repo.CHART.resolve("dashboards/logpipe-metrics.json")));
    real = RealMetrics.scrape();
  }

  @Test
  void everyPanelTakesItsDatasourceFromTheVariable() {
    assertDatasourceVariable(clickhouse, "grafana-clickhouse-datasource");
    assertDatasourceVariable(prometheus, "prometheus");
    assertThat(variable(clickhouse, "database")).isNotNull();
    assertThat(variable(clickhouse, "table")).isNotNull();
  }

  @Test
  void clickHouseQueriesNameOnlyRealColumns() {
    Set<String> columns =
        LogTableSchema.COLUMNS.stream()
            .map(LogTableSchema.Column::name)
            .collect(Collectors.toSet());
    List<JsonNode> targets = targets(clickhouse);
    assertThat(targets).hasSizeGreaterThanOrEqualTo(5);
    for (JsonNode target : targets) {
      String sql = target.path("rawSql").asText();
      assertThat(sql)
          .as("panel query")
          .contains("`${database}`.`${table}`", "$__timeFilter(timestamp)");
      assertThat(SqlIdentifiers.unknown(sql, columns)).as(sql).isEmpty();
    }
  }

  @Test
  void columnCheckCatchesAMisspelledColumn() {
    Set<String> columns = Set.of("service", "anomaly_score", "timestamp");
    assertThat(
            SqlIdentifiers.unknown(
                "SELECT service, max(anomaly_scores) AS m FROM `${database}`.`${table}` WHERE $__timeFilter(timestamp) GROUP BY service",
                columns))
        .containsExactly("anomaly_scores");
  }

  @Test
  void prometheusQueriesNameOnlyRealMetricsAndLabels() {
    List<JsonNode> targets = targets(prometheus);
    assertThat(targets).hasSizeGreaterThanOrEqualTo(8);
    List<String> problems = new ArrayList<>();
    for (JsonNode target : targets) {
      problems.addAll(PromQl.problems(target.path("expr").asText(), real.series));
    }
    assertThat(problems).isEmpty();
    String all =
        targets.stream().map(t -> t.path("expr").asText()).collect(Collectors.joining("\n"));
    assertThat(all)
        .contains(
            "logpipe_consumer_lag", "logpipe_dead_lettered_total", "logpipe_insert_latency_seconds")
        .contains("operator_sdk_reconciliations_failed_total");
  }

  @Test
  void metricCheckCatchesAnInventedMetricOrLabel() {
    assertThat(PromQl.problems("rate(logpipe_records_total[5m])", real.series)).hasSize(1);
    assertThat(PromQl.problems("sum by (topic) (logpipe_consumer_lag)", real.series)).hasSize(1);
    assertThat(PromQl.problems("logpipe_insert_latency_seconds{quantile=\"0.999\"}", real.series))
        .hasSize(1);
  }

  private static void assertDatasourceVariable(JsonNode dashboard, String pluginType) {
    JsonNode ds = variable(dashboard, "datasource");
    assertThat(ds).as("datasource variable").isNotNull();
    assertThat(ds.path("type").asText()).isEqualTo("datasource");
    assertThat(ds.path("query").asText()).isEqualTo(pluginType);
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(panel.path("datasource").path("uid").asText())
          .as(panel.path("title").asText())
          .isEqualTo("${datasource}");
      assertThat(panel.path("datasource").path("type").asText()).isEqualTo(pluginType);
      for (JsonNode target : panel.path("targets")) {
        assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
      }
    }
  }

  private static JsonNode variable(JsonNode dashboard, String name) {
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if (name.equals(v.path("name").asText())) {
        return v;
      }
    }
    return null;
  }

  private static List<JsonNode> targets(JsonNode dashboard) {
    List<JsonNode> targets = new ArrayList<>();
    dashboard.path("panels").forEach(p -> p.path("targets").forEach(targets::add));
    return targets;
  }

  /** Identifiers in a panel's SQL that are neither keywords, functions, aliases nor columns. */
  static final class SqlIdentifiers {
    private static final Set<String> KEYWORDS =
        Set.of(
            "select",
            "from",
            "where",
            "and",
            "or",
            "not",
            "in",
            "group",
            "by",
            "order",
            "asc",
            "desc",
            "limit",
            "as",
            "having",
            "distinct",
            "interval",
            "day",
            "hour",
            "minute",
            "second",
            "like",
            "ilike",
            "is",
            "null",
            "between",
            "case",
            "when",
            "then",
            "else",
            "end",
            "with",
            "true",
            "false");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern ALIAS = Pattern.compile("(?i)\\bAS\\s+([A-Za-z_][A-Za-z0-9_]*)");

    static List<String> unknown(String sql, Set<String> columns) {
      String code =
          sql.replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''") // string literals
              .replaceAll("\\$\\{[^}]*}", "") // Grafana variables
              .replaceAll("\\$__[A-Za-z]+", "") // plugin macros (their arguments stay)
              .replaceAll("`[^`]*`", ""); // quoted database.table from variables
      Set<String> aliases = new java.util.HashSet<>();
      Matcher a = ALIAS.matcher(code);
      while (a.find()) {
        aliases.add(a.group(1));
      }
      List<String> unknown = new ArrayList<>();
      Matcher m = TOKEN.matcher(code);
      while (m.find()) {
        String token = m.group();
        boolean function = code.substring(m.end()).stripLeading().startsWith("(");
        boolean number = m.start() > 0 && Character.isDigit(code.charAt(m.start() - 1));
        if (function
            || number
            || KEYWORDS.contains(token.toLowerCase())
            || aliases.contains(token)
            || columns.contains(token)) {
          continue;
        }
        unknown.add(token);
      }
      return unknown;
    }
  }

  /** Metric names and label matchers/groupings in a PromQL expression, checked against a scrape. */
  static final class PromQl {
    private static final Set<String> FUNCTIONS =
        Set.of(
            "sum",
            "max",
            "min",
            "avg",
            "count",
            "rate",
            "irate",
            "increase",
            "by",
            "without",
            "histogram_quantile",
            "topk",
            "on",
            "ignoring");
    private static final Pattern SELECTOR =
        Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{([^}]*)})?");
    private static final Pattern MATCHER =
        Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)\\s*\"([^\"]*)\"");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");

    static List<String> problems(String expr, Map<String, Map<String, Set<String>>> series) {
      List<String> problems = new ArrayList<>();
      String code = expr.replaceAll("\\[[^]]*]", ""); // range selectors
      Set<String> metricsUsed = new java.util.LinkedHashSet<>();
      Matcher s = SELECTOR.matcher(code.replaceAll("\\b(?:by|without)\\s*\\([^)]*\\)", ""));
      while (s.find()) {
        String name = s.group(1);
        if (FUNCTIONS.contains(name)) {
          continue;
        }
        if (!series.containsKey(name)) {
          problems.add("no metric " + name + " in: " + expr);
          continue;
        }
        metricsUsed.add(name);
        if (s.group(3) != null) {
          Matcher m = MATCHER.matcher(s.group(3));
          while (m.find()) {
            Set<String> values = series.get(name).get(m.group(1));
            if (values == null) {
              problems.add(name + " has no label " + m.group(1));
            } else if (m.group(2).equals("=") && !values.contains(m.group(3))) {
              problems.add(
                  name
                      + "{"
                      + m.group(1)
                      + "=\""
                      + m.group(3)
                      + "\"} never exposed; seen "
                      + values);
            }
          }
        }
      }
      Matcher g = GROUPING.matcher(code);
      while (g.find()) {
        for (String label : g.group(1).split(",")) {
          String l = label.strip();
          if (!l.isEmpty() && metricsUsed.stream().noneMatch(n -> series.get(n).containsKey(l))) {
            problems.add("no metric in " + metricsUsed + " has label " + l);
          }
        }
      }
      return problems;
    }
  }
}
