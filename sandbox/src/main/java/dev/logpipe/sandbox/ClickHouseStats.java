package dev.logpipe.sandbox;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** What a pipeline's table holds, read over ClickHouse's HTTP interface for progress and checks. */
public final class ClickHouseStats {
  /** Rows stored, rows with an anomaly score, rows marked by the burst detector. */
  public record Stats(long rows, long anomalies, long burstAnomalies) {
    public static final Stats NONE = new Stats(0, 0, 0);
  }

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String url;
  private final String user;
  private final String password;

  public ClickHouseStats(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** Stats of {@code database.table}; {@link Stats#NONE} while the table does not exist. */
  public Stats of(String database, String table) {
    String result =
        query(
            "SELECT count(), countIf(anomaly_score > 0), countIf(has(anomaly_reasons, 'error-burst')) FROM "
                + quote(database)
                + "."
                + quote(table));
    if (result == null) {
      return Stats.NONE;
    }
    String[] f = result.strip().split("\t");
    return new Stats(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
  }

  /** One value of a query (TabSeparated), or null when the query fails (e.g. no table yet). */
  public String query(String sql) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(url + "/?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
              .header("X-ClickHouse-User", user)
              .header("X-ClickHouse-Key", password)
              .timeout(Duration.ofSeconds(10))
              .GET()
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : null;
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Names here come from PipelineNames, already valid identifiers; quoting keeps them literal. */
  static String quote(String identifier) {
    return "`" + identifier.replace("`", "") + "`";
  }
}
