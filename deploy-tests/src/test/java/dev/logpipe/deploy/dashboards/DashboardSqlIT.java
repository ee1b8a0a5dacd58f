package dev.logpipe.deploy.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import com.fasterxml.jackson.databind.JsonNode;
import dev.logpipe.deploy.Repo;
import dev.logpipe.deploy.Yaml;
import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.worker.config.LogTableSchema;
import dev.logpipe.worker.sink.ClickHouseClients;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every ClickHouse query of the shipped dashboards (panels and variables) runs against the real
 * ClickHouse on a pipeline table created by the worker's own DDL, with Grafana's variables and the
 * datasource plugin's macros expanded as they would be ({@link GrafanaSql}); the logs dashboard's
 * panels count exactly the events its filters select.
 */
@WithDevServices(DevServices.Kind.CLICKHOUSE)
class DashboardSqlIT {
  private static final String DATABASE = "logs_dash";
  private static final String TABLE = "app";
  private static final String[] SERVICES = {"api", "web", "db"};
  private static final String[] LEVELS = {"INFO", "WARN", "ERROR", "DEBUG"};
  private static final int EVENTS = 600;
  private static Client ch;
  private static Instant now;
  private static int apiErrorsWithNeedleAndScore50;

  @BeforeAll
  static void createAndFill(DevServices services) throws Exception {
    ch =
        ClickHouseClients.create(
            services.clickHouseUrl(),
            new dev.logpipe.worker.config.Credentials(
                services.clickhouse().user(), services.clickhouse().password()),
            null);
    for (String sql : LogTableSchema.create(DATABASE, TABLE, 30)) {
      ch.execute(sql).get(30, TimeUnit.SECONDS).close();
    }
    now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    StringBuilder insert =
        new StringBuilder(
            "INSERT INTO logs_dash.app (timestamp, service, level, message, attributes,"
                + " anomaly_score, anomaly_reasons, _partition, _offset) VALUES ");
    for (int i = 0; i < EVENTS; i++) {
      String service = SERVICES[i % 3];
      String level = LEVELS[i % 4];
      boolean needle = i % 5 == 0;
      int score = level.equals("ERROR") ? (i % 7 < 4 ? 60 : 40) : 0;
      if (service.equals("api") && level.equals("ERROR") && needle && score >= 50) {
        apiErrorsWithNeedleAndScore50++;
      }
      insert
          .append(i == 0 ? "" : ",")
          .append("(fromUnixTimestamp64Milli(")
          .append(now.minusSeconds(5 + i * 5L).toEpochMilli())
          .append("), '")
          .append(service)
          .append("', '")
          .append(level)
          .append("', '")
          .append((needle ? "request it's a Needle " + i : "request " + i).replace("'", "''"))
          .append("', map('region', 'eu'), ")
          .append(score)
          .append(", ")
          .append(score > 0 ? "['error-level']" : "[]")
          .append(", 0, ")
          .append(i)
          .append(")");
    }
    ch.execute(insert.toString()).get(30, TimeUnit.SECONDS).close();
    assertThat(apiErrorsWithNeedleAndScore50).isPositive();
  }

  @AfterAll
  static void close() {
    if (ch != null) {
      ch.close();
    }
  }

  @Test
  void everyClickHouseDashboardQueryRunsWithEveryFilterOpen() throws Exception {
    for (String file : List.of("logpipe-logs.json", "logpipe-clickhouse.json")) {
      JsonNode dashboard = dashboard(file);
      Map<String, List<String>> vars = new HashMap<>();
      vars.put("database", List.of(DATABASE));
      vars.put("table", List.of(TABLE));
      // Variables resolve from ClickHouse the way Grafana fills their pickers.
      assertThat(variableValues(dashboard, "database", vars)).as(file).contains(DATABASE);
      assertThat(variableValues(dashboard, "table", vars)).as(file).containsExactly(TABLE);
      List<String> services = variableValues(dashboard, "service", vars);
      assertThat(services).as(file).containsExactly("api", "db", "web");
      vars.put("service", services);
      vars.put("level", List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"));
      vars.put("search", List.of(""));
      vars.put("min_score", List.of(file.equals("logpipe-logs.json") ? "0" : "1"));
      for (JsonNode panel : dashboard.path("panels")) {
        for (JsonNode target : panel.path("targets")) {
          List<GenericRecord> rows = run(target.path("rawSql").asText(), vars);
          assertThat(rows).as(file + ": " + panel.path("title").asText()).isNotEmpty();
        }
      }
    }
  }

  @Test
  void theLogsDashboardPanelsCountExactlyWhatTheFiltersSelect() throws Exception {
    JsonNode dashboard = dashboard("logpipe-logs.json");
    Map<String, List<String>> vars = new HashMap<>();
    vars.put("database", List.of(DATABASE));
    vars.put("table", List.of(TABLE));
    vars.put("service", List.of("api"));
    vars.put("level", List.of("ERROR"));
    vars.put("search", List.of("IT'S A NEEDLE"));
    vars.put("min_score", List.of("50"));
    int expected = apiErrorsWithNeedleAndScore50;
    for (JsonNode panel : dashboard.path("panels")) {
      String title = panel.path("title").asText();
      List<GenericRecord> rows = run(panel.path("targets").get(0).path("rawSql").asText(), vars);
      switch (panel.path("type").asText() + ":" + title) {
        case "timeseries:Log volume by level", "timeseries:Anomalies over time" -> {
          String column = title.startsWith("Log") ? "events" : "anomalies";
          assertThat(rows.stream().mapToLong(r -> r.getLong(column)).sum())
              .as(title)
              .isEqualTo(expected);
        }
        case "table:Top services" -> {
          assertThat(rows).hasSize(1);
          assertThat(rows.get(0).getString("service")).isEqualTo("api");
          assertThat(rows.get(0).getLong("events")).isEqualTo(expected);
        }
        case "logs:Logs" -> {
          assertThat(rows).hasSize(expected);
          // The columns Grafana's logs view reads: time, body and level.
          assertThat(rows.get(0).getSchema().getColumns().stream().map(c -> c.getColumnName()))
              .contains("timestamp", "body", "level");
          assertThat(rows.get(0).getString("body")).contains("it's a Needle");
          assertThat(rows.get(0).getString("attributes")).isEqualTo("{\"region\":\"eu\"}");
        }
        default -> throw new AssertionError("panel not covered by this test: " + title);
      }
    }
  }

  private static JsonNode dashboard(String file) throws Exception {
    return Yaml.JSON.readTree(Repo.read(Repo.CHART.resolve("dashboards/" + file)));
  }

  private static List<String> variableValues(
      JsonNode dashboard, String name, Map<String, List<String>> vars) {
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if (name.equals(v.path("name").asText())) {
        List<String> values = new ArrayList<>();
        for (GenericRecord r : run(v.path("query").asText(), vars)) {
          values.add(r.getString(1));
        }
        return values;
      }
    }
    throw new AssertionError("no variable " + name);
  }

  private static List<GenericRecord> run(String sql, Map<String, List<String>> vars) {
    String expanded =
        GrafanaSql.expand(sql, vars, now.minus(Duration.ofHours(1)), now.plusSeconds(1), 60);
    assertThat(expanded).as(sql).doesNotContain("$");
    try {
      return ch.queryAll(expanded);
    } catch (RuntimeException e) {
      throw new AssertionError("dashboard query failed: " + expanded, e);
    }
  }
}
