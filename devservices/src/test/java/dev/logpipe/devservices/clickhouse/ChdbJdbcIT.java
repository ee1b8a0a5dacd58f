package dev.logpipe.devservices.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** clickhouse-jdbc 0.11 with default settings against the dev service. */
class ChdbJdbcIT {
  @TempDir static Path dataDir;

  private static ClickHouseDevService service;
  private static Connection connection;
  private static String db;

  @BeforeAll
  static void start() throws SQLException {
    service = ClickHouseTestServer.start(dataDir);
    Properties properties = new Properties();
    properties.setProperty("user", service.user());
    properties.setProperty("password", service.password());
    connection = DriverManager.getConnection("jdbc:clickhouse:" + service.endpoint(), properties);
    db = ClickHouseTestServer.uniqueDatabase("jdbc");
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + db);
      statement.execute(ClickHouseTestServer.eventsTable(db));
    }
  }

  @AfterAll
  static void stop() throws SQLException {
    if (connection != null) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("DROP DATABASE IF EXISTS " + db);
      }
      connection.close();
    }
    if (service != null) {
      service.stop();
    }
  }

  @Test
  void preparedBatchInsertReadsBackTypedValues() throws SQLException {
    Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS);
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO "
                + db
                + ".events (ts, service, attrs, status, tags, message)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < 3; i++) {
        insert.setObject(
            1, OffsetDateTime.ofInstant(base.plusMillis(i * 1001L + 7), ZoneOffset.UTC));
        insert.setString(2, "jdbc");
        insert.setObject(3, Map.of("i", Integer.toString(i), "quote", "it's"));
        if (i == 1) {
          insert.setNull(4, Types.INTEGER);
        } else {
          insert.setInt(4, 200 + i);
        }
        insert.setObject(5, new String[] {"t" + i, "batch"});
        insert.setString(6, "line " + i + " with \\ and '");
        insert.addBatch();
      }
      int[] counts = insert.executeBatch();
      assertThat(counts).hasSize(3);
    }

    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT ts, service, attrs, status, tags, message FROM "
                + db
                + ".events"
                + " WHERE service = ? ORDER BY ts")) {
      select.setString(1, "jdbc");
      try (ResultSet rs = select.executeQuery()) {
        for (int i = 0; i < 3; i++) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getObject("ts", OffsetDateTime.class).toInstant())
              .isEqualTo(base.plusMillis(i * 1001L + 7));
          assertThat(rs.getString("service")).isEqualTo("jdbc");
          assertThat((Map<?, ?>) rs.getObject("attrs"))
              .isEqualTo(Map.of("i", Integer.toString(i), "quote", "it's"));
          int status = rs.getInt("status");
          if (i == 1) {
            assertThat(rs.wasNull()).isTrue();
          } else {
            assertThat(status).isEqualTo(200 + i);
          }
          assertThat(List.of((Object[]) rs.getArray("tags").getArray()))
              .containsExactly("t" + i, "batch");
          assertThat(rs.getString("message")).isEqualTo("line " + i + " with \\ and '");
        }
        assertThat(rs.next()).isFalse();
      }
    }
  }

  @Test
  void unknownTableSurfacesCode60() {
    assertThatThrownBy(
            () -> {
              try (Statement statement = connection.createStatement()) {
                statement.executeQuery("SELECT * FROM " + db + ".missing");
              }
            })
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(60));
  }
}
