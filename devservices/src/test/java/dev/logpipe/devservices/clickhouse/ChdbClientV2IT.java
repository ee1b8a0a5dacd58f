package dev.logpipe.devservices.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** client-v2 0.11 with default settings (LZ4-compressed responses) against the dev service. */
class ChdbClientV2IT {
  @TempDir static Path dataDir;

  private static ClickHouseDevService service;
  private static Client client;
  private static String db;

  @BeforeAll
  static void start() throws Exception {
    service = ClickHouseTestServer.start(dataDir);
    client = ClickHouseTestServer.client(service);
    db = ClickHouseTestServer.uniqueDatabase("v2");
    client.execute("CREATE DATABASE " + db).get(30, TimeUnit.SECONDS).close();
    client.execute(ClickHouseTestServer.eventsTable(db)).get(30, TimeUnit.SECONDS).close();
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.execute("DROP DATABASE IF EXISTS " + db).get(30, TimeUnit.SECONDS).close();
      client.close();
    }
    if (service != null) {
      service.stop();
    }
  }

  @Test
  void rowBinaryInsertReadsBackExactTypedValues() throws Exception {
    Instant first =
        Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(3, ChronoUnit.HOURS).plusMillis(123);
    Instant second = first.plusMillis(877);
    byte[] rows =
        new RowBinary()
            .dateTime64Millis(first)
            .string("checkout")
            .stringMap(Map.of("pod", "checkout-7d9f", "zone", "eu-1"))
            .nullableUInt16(503)
            .stringArray(List.of("error", "http"))
            .string("upstream timed out: ünïcode ✓")
            .dateTime64Millis(second)
            .string("checkout")
            .stringMap(Map.of())
            .nullableUInt16(null)
            .stringArray(List.of())
            .string("")
            .bytes();

    InsertResponse inserted =
        client
            .insert(db + ".events", new ByteArrayInputStream(rows), ClickHouseFormat.RowBinary)
            .get(30, TimeUnit.SECONDS);
    assertThat(inserted.getWrittenRows()).isEqualTo(2);
    inserted.close();

    List<GenericRecord> records =
        client.queryAll("SELECT * FROM " + db + ".events WHERE service = 'checkout' ORDER BY ts");
    assertThat(records).hasSize(2);
    GenericRecord a = records.get(0);
    assertThat(a.getInstant("ts")).isEqualTo(first);
    assertThat(a.getZonedDateTime("ts").getOffset()).isEqualTo(ZoneOffset.UTC);
    assertThat(a.getString("service")).isEqualTo("checkout");
    assertThat((Map<?, ?>) a.getObject("attrs"))
        .isEqualTo(Map.of("pod", "checkout-7d9f", "zone", "eu-1"));
    assertThat(a.getInteger("status")).isEqualTo(503);
    assertThat(Arrays.asList(a.getStringArray("tags"))).containsExactly("error", "http");
    assertThat(a.getString("message")).isEqualTo("upstream timed out: ünïcode ✓");
    GenericRecord b = records.get(1);
    assertThat(b.getInstant("ts")).isEqualTo(second);
    assertThat(b.hasValue("status")).isFalse();
    assertThat((Map<?, ?>) b.getObject("attrs")).isEmpty();
    assertThat(b.getStringArray("tags")).isEmpty();

    try (var reader =
        client.newBinaryFormatReader(
            client
                .query(
                    "SELECT ts, status FROM "
                        + db
                        + ".events WHERE service = 'checkout' ORDER BY ts")
                .get(30, TimeUnit.SECONDS))) {
      assertThat(reader.next()).isNotNull();
      assertThat(reader.getInstant("ts")).isEqualTo(first);
      assertThat(reader.getInteger("status")).isEqualTo(503);
    }
  }

  @Test
  void sameDeduplicationTokenTwiceStoresTheRowsOnce() throws Exception {
    byte[] row =
        new RowBinary()
            .dateTime64Millis(Instant.now().truncatedTo(ChronoUnit.MILLIS))
            .string("dedup")
            .stringMap(Map.of())
            .nullableUInt16(200)
            .stringArray(List.of())
            .string("once")
            .bytes();
    InsertSettings settings = new InsertSettings().setDeduplicationToken("batch-42");
    for (int i = 0; i < 2; i++) {
      client
          .insert(
              db + ".events", new ByteArrayInputStream(row), ClickHouseFormat.RowBinary, settings)
          .get(30, TimeUnit.SECONDS)
          .close();
    }
    List<GenericRecord> count =
        client.queryAll("SELECT count() AS n FROM " + db + ".events WHERE service = 'dedup'");
    assertThat(count.get(0).getLong("n")).isEqualTo(1);
  }

  @Test
  void hostileServerSideParameterStaysData() throws Exception {
    String hostile = "it's \\ a \"test\"'; DROP TABLE " + db + ".events; --";
    List<GenericRecord> rows =
        client.queryAll(
            "SELECT {p:String} AS echoed, length({p:String}) AS len", Map.of("p", hostile));
    assertThat(rows.get(0).getString("echoed")).isEqualTo(hostile);
    assertThat(rows.get(0).getLong("len"))
        .isEqualTo(hostile.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    assertThat(client.queryAll("EXISTS TABLE " + db + ".events").get(0).getInteger(1)).isEqualTo(1);
  }

  @Test
  void compressedRequestBodiesAndHttpCompressionAreUnderstood() throws Exception {
    try (Client blockCompressed =
            new Client.Builder()
                .addEndpoint(service.endpoint())
                .setUsername(service.user())
                .setPassword(service.password())
                .compressClientRequest(true)
                .build();
        Client httpCompressed =
            new Client.Builder()
                .addEndpoint(service.endpoint())
                .setUsername(service.user())
                .setPassword(service.password())
                .useHttpCompression(true)
                .compressClientRequest(true)
                .build()) {
      blockCompressed
          .insert(
              db + ".events",
              new ByteArrayInputStream(row("decompress=1")),
              ClickHouseFormat.RowBinary)
          .get(30, TimeUnit.SECONDS)
          .close();
      httpCompressed
          .insert(
              db + ".events",
              new ByteArrayInputStream(row("Content-Encoding")),
              ClickHouseFormat.RowBinary)
          .get(30, TimeUnit.SECONDS)
          .close();
      List<GenericRecord> rows =
          httpCompressed.queryAll(
              "SELECT message FROM "
                  + db
                  + ".events WHERE service = 'compressed' ORDER BY message");
      assertThat(rows)
          .extracting(r -> r.getString("message"))
          .containsExactly("Content-Encoding", "decompress=1");
    }
  }

  private static byte[] row(String message) {
    return new RowBinary()
        .dateTime64Millis(Instant.now().truncatedTo(ChronoUnit.MILLIS))
        .string("compressed")
        .stringMap(Map.of("k", "v"))
        .nullableUInt16(1)
        .stringArray(List.of("x"))
        .string(message)
        .bytes();
  }

  @Test
  void malformedInsertDataIsAnErrorAndTheServerCarriesOn() throws Exception {
    byte[] truncated =
        Arrays.copyOf(new RowBinary().dateTime64Millis(Instant.now()).string("bad").bytes(), 11);
    Throwable thrown =
        catchThrowable(
            () ->
                client
                    .insert(
                        db + ".events",
                        new ByteArrayInputStream(truncated),
                        ClickHouseFormat.RowBinary)
                    .get(30, TimeUnit.SECONDS));
    ServerException e = ClickHouseTestServer.serverException(thrown);
    assertThat(e.getCode()).isPositive();
    assertThat(
            client
                .queryAll("SELECT count() AS n FROM " + db + ".events WHERE service = 'bad'")
                .get(0)
                .getLong("n"))
        .isZero();
  }

  @Test
  void unknownTableCarriesCode60() {
    Throwable thrown =
        catchThrowable(() -> client.queryAll("SELECT * FROM " + db + ".no_such_table"));
    ServerException e = ClickHouseTestServer.serverException(thrown);
    assertThat(e.getCode()).isEqualTo(60);
    assertThat(e.getTransportProtocolCode()).isEqualTo(404);
    assertThat(e.getMessage()).contains("no_such_table");
  }

  @Test
  void syntaxErrorCarriesCode62() {
    Throwable thrown = catchThrowable(() -> client.query("SELEC 1").get(30, TimeUnit.SECONDS));
    ServerException e = ClickHouseTestServer.serverException(thrown);
    assertThat(e.getCode()).isEqualTo(62);
    assertThat(e.getTransportProtocolCode()).isEqualTo(400);
  }

  @Test
  void serverTimezoneIsUtc() {
    assertThat(client.getServerTimeZone()).isIn("UTC", "Etc/UTC");
    assertThat(client.ping()).isTrue();
  }
}
