package dev.logpipe.deploy.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logpipe.deploy.Repo;
import dev.logpipe.deploy.Yaml;
import dev.logpipe.worker.config.LogTableSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
  private static JsonNode logs;
  private static JsonNode prometheus;
  private static RealMetrics real;

  @BeforeAll
  static void load() throws IOException {
    clickhouse =
        Yaml.JSON.readTree(Repo.read(Repo.CHART.resolve("dashboards/logpipe-clickhouse.json")));
    logs = Yaml.JSON.readTree(Repo.read(Repo.CHART.resolve("dashboards/logpipe-logs.json")));
    prometheus =
        Yaml.JSON.readTree(Repo.read(Repo.CHART.resolve("dashboards/logpipe-metrics.json")));
    real = RealMetrics.scrape();
  }

  @Test
  void everyPanelTakesItsDatasourceFromTheVariable() {
    assertDatasourceVariable(clickhouse, "grafana-clickhouse-datasource");
    assertDatasourceVariable(logs, "grafana-clickhouse-datasource");
    assertDatasourceVariable(prometheus, "prometheus");
    assertThat(variable(clickhouse, "database")).isNotNull();
    assertThat(variable(clickhouse, "table")).isNotNull();
    for (String name : List.of("database", "table", "service", "level", "search", "min_score")) {
      assertThat(variable(logs, name)).as("logs dashboard variable " + name).isNotNull();
    }
  }

  @Test
  void clickHouseQueriesNameOnlyRealColumns() {
    Set<String> columns =
        LogTableSchema.COLUMNS.stream()
            .map(LogTableSchema.Column::name)
            .collect(Collectors.toSet());
    List<JsonNode> targets = targets(clickhouse);
    assertThat(targets).hasSizeGreaterThanOrEqualTo(5);
    targets.addAll(targets(logs));
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

  /**
   * The operator records JOSDK metrics without per-resource meters (LogpipeOperator.metrics), so
   * the per-resource labels (the pipeline's name and namespace) do not exist for a panel to use.
   */
  @Test
  void operatorMetricsCarryOnlyTheLabelsTheOperatorRecords() {
    assertThat(
            PromQl.problems(
                "sum by (namespace) (rate(operator_sdk_reconciliations_started_total[5m]))",
                real.series))
        .hasSize(1);
    assertThat(
            PromQl.problems(
                "sum by (kind) (rate(operator_sdk_reconciliations_started_total[5m]))",
                real.series))
        .isEmpty();
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

  /** The logs dashboard: the panels the issue asks for, each with every filter variable. */
  @Test
  void theLogsDashboardHasVolumeAnomaliesTopServicesAndALogsPanelFilteredByEveryVariable() {
    List<String> types = new ArrayList<>();
    logs.path("panels").forEach(p -> types.add(p.path("type").asText()));
    assertThat(types).containsExactlyInAnyOrder("timeseries", "timeseries", "table", "logs");
    for (JsonNode target : targets(logs)) {
      assertThat(target.path("rawSql").asText())
          .contains(
              "${service:singlequote}",
              "${level:singlequote}",
              "${search:sqlstring}",
              "${min_score}");
    }
    JsonNode logsPanel = null;
    for (JsonNode p : logs.path("panels")) {
      if (p.path("type").asText().equals("logs")) {
        logsPanel = p;
      }
    }
    JsonNode target = logsPanel.path("targets").get(0);
    assertThat(target.path("queryType").asText()).isEqualTo("logs");
    assertThat(target.path("format").asInt()).isEqualTo(2);
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
}
