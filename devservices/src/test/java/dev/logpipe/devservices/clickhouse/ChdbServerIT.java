package dev.logpipe.devservices.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.data.ClickHouseFormat;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chDB server process itself: crashes, restarts, signals, credentials, data dir ownership. */
class ChdbServerIT {
  @TempDir Path dataDir;

  @BeforeEach
  void localOnly() {
    assumeFalse(
        ClickHouseDevService.externalConfigured(), "kills and restarts the local chDB server");
  }

  @Test
  void acknowledgedInsertSurvivesSigkillAndRestartOnSamePort() throws Exception {
    ClickHouseDevService service = new ClickHouseDevService(dataDir);
    try (service) {
      service.start();
      String endpoint = service.endpoint();
      try (Client client = ClickHouseTestServer.client(service)) {
        client.execute("CREATE DATABASE crash").get(30, TimeUnit.SECONDS).close();
        client.execute(ClickHouseTestServer.eventsTable("crash")).get(30, TimeUnit.SECONDS).close();
        client
            .insert(
                "crash.events", new ByteArrayInputStream(rows(1000)), ClickHouseFormat.RowBinary)
            .get(30, TimeUnit.SECONDS)
            .close();
      }
      long pid = service.pid();
      service.kill();
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

      service.start();
      assertThat(service.endpoint()).isEqualTo(endpoint);
      try (Client client = ClickHouseTestServer.client(service)) {
        assertThat(client.queryAll("SELECT count() AS n FROM crash.events").get(0).getLong("n"))
            .isEqualTo(1000);
      }
    }
  }

  @Test
  void survivesNullPointerExceptionsInCompiledCodeAfterQueries() throws Exception {
    try (ClickHouseDevService service = new ClickHouseDevService(dataDir)) {
      service.start();
      try (Client client = ClickHouseTestServer.client(service)) {
        client.execute("CREATE DATABASE npe").get(30, TimeUnit.SECONDS).close();
        client.execute(ClickHouseTestServer.eventsTable("npe")).get(30, TimeUnit.SECONDS).close();
        client
            .insert("npe.events", new ByteArrayInputStream(rows(10)), ClickHouseFormat.RowBinary)
            .get(30, TimeUnit.SECONDS)
            .close();
        assertThat(client.queryAll("SELECT count() AS n FROM npe.events").get(0).getLong("n"))
            .isEqualTo(10);

        // Faults in JIT-compiled code on the server's HTTP threads, after chDB has run queries.
        HttpResponse<String> selfCheck = get(service.endpoint() + SelfCheck.PATH);
        assertThat(selfCheck.statusCode()).isEqualTo(200);
        assertThat(service.isRunning()).isTrue();
        assertThat(client.queryAll("SELECT count() AS n FROM npe.events").get(0).getLong("n"))
            .isEqualTo(10);
      }
    }
  }

  @Test
  void secondProcessCannotOpenTheSameDataDirectory() {
    try (ClickHouseDevService first = new ClickHouseDevService(dataDir);
        ClickHouseDevService second = new ClickHouseDevService(dataDir)) {
      first.start();
      assertThatThrownBy(second::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another process serves");
      assertThat(first.isRunning()).isTrue();
    }
  }

  @Test
  void wrongPasswordIsAuthenticationFailed516() throws Exception {
    try (ClickHouseDevService service =
        ClickHouseDevService.withPassword(dataDir, "default", "s3cret")) {
      service.start();
      try (Client wrong =
          new Client.Builder()
              .addEndpoint(service.endpoint())
              .setUsername("default")
              .setPassword("guess")
              .build()) {
        ServerException e =
            ClickHouseTestServer.serverException(catchThrowable(() -> wrong.queryAll("SELECT 1")));
        assertThat(e.getCode()).isEqualTo(516);
        assertThat(e.getTransportProtocolCode()).isEqualTo(403);
      }
      try (Client right = ClickHouseTestServer.client(service)) {
        assertThat(right.queryAll("SELECT 1 AS one").get(0).getInteger("one")).isEqualTo(1);
      }
    }
  }

  @Test
  void pingAndPlainHttpQueries() throws Exception {
    try (ClickHouseDevService service = new ClickHouseDevService(dataDir)) {
      service.start();
      assertThat(get(service.endpoint() + "/ping").body()).isEqualTo("Ok.\n");
      HttpResponse<String> query =
          get(
              service.endpoint()
                  + "/?query=SELECT%20number%20FROM%20numbers(3)&default_format=CSV");
      assertThat(query.body()).isEqualTo("0\n1\n2\n");
      assertThat(query.headers().firstValue("X-ClickHouse-Format")).contains("CSV");
      assertThat(query.headers().firstValue("X-ClickHouse-Timezone")).contains("UTC");
      HttpResponse<String> unknownDb = get(service.endpoint() + "/?query=SELECT%201&database=nope");
      assertThat(unknownDb.statusCode()).isEqualTo(404);
      assertThat(unknownDb.headers().firstValue("X-ClickHouse-Exception-Code")).contains("81");
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] rows(int n) {
    RowBinary rows = new RowBinary();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    for (int i = 0; i < n; i++) {
      rows.dateTime64Millis(now.plusMillis(i))
          .string("svc-" + (i % 3))
          .stringMap(Map.of("i", Integer.toString(i)))
          .nullableUInt16(i % 2 == 0 ? null : i)
          .stringArray(List.of("a"))
          .string("message " + i);
    }
    return rows.bytes();
  }
}
