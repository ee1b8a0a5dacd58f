package dev.logpipe.devservices.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prints startup time, RSS, RowBinary insert rows/s (client-v2, default settings, 100k-row chunks)
 * and filtered-count latency. Not a test. Args: [chunks, default 100 = 10M rows].
 */
public final class ChdbInsertBenchmark {
  private static final int CHUNK_ROWS = 100_000;

  private ChdbInsertBenchmark() {}

  public static void main(String[] args) throws Exception {
    int chunks = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Path dir = Files.createTempDirectory("chdb-bench");
    try {
      run(dir, chunks);
    } finally {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(Path dir, int chunks) throws Exception {
    long t0 = System.nanoTime();
    try (ClickHouseDevService service = ClickHouseDevService.fromEnvironment(dir)) {
      service.start();
      System.out.printf(
          "startup (process start to ping): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      if (!service.isExternal()) {
        System.out.printf("RSS after startup: %s%n", rss(service.pid()));
      }
      try (Client client = ClickHouseTestServer.client(service)) {
        client.execute("CREATE DATABASE IF NOT EXISTS bench").get(30, TimeUnit.SECONDS).close();
        client.execute("DROP TABLE IF EXISTS bench.logs").get(30, TimeUnit.SECONDS).close();
        client
            .execute(
                "CREATE TABLE bench.logs (ts DateTime64(3, 'UTC'), service LowCardinality(String),"
                    + " level LowCardinality(String), status UInt16, message String)"
                    + " ENGINE = MergeTree ORDER BY (service, ts)")
            .get(30, TimeUnit.SECONDS)
            .close();
        byte[] chunk = chunk();
        System.out.printf(
            "chunk: %d rows, %.1f MiB RowBinary%n", CHUNK_ROWS, chunk.length / 1048576.0);
        long start = System.nanoTime();
        for (int i = 0; i < chunks; i++) {
          client
              .insert("bench.logs", new ByteArrayInputStream(chunk), ClickHouseFormat.RowBinary)
              .get(60, TimeUnit.SECONDS)
              .close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long rows = (long) chunks * CHUNK_ROWS;
        System.out.printf(
            "insert: %,d rows in %.2f s = %,.0f rows/s%n", rows, seconds, rows / seconds);
        for (int i = 0; i < 5; i++) {
          long q = System.nanoTime();
          List<GenericRecord> r =
              client.queryAll(
                  "SELECT count() AS n FROM bench.logs WHERE service = 'svc-3' AND status >= 500");
          System.out.printf(
              "filtered count = %d in %.1f ms%n",
              r.get(0).getLong("n"), (System.nanoTime() - q) / 1e6);
        }
        if (!service.isExternal()) {
          System.out.printf("RSS after the load: %s%n", rss(service.pid()));
        }
      }
    }
  }

  private static byte[] chunk() {
    RowBinary rows = new RowBinary();
    long base = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    String[] levels = {"INFO", "WARN", "ERROR", "DEBUG"};
    for (int i = 0; i < CHUNK_ROWS; i++) {
      rows.int64(base + i).string("svc-" + (i % 10)).string(levels[i % 4]);
      int status = 200 + (i % 7) * 50;
      rows.uint16(status).string("GET /api/v1/items/" + i + " took " + (i % 997) + " ms");
    }
    return rows.bytes();
  }

  private static String rss(long pid) throws Exception {
    return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
        .filter(l -> l.startsWith("VmRSS"))
        .findFirst()
        .orElse("?")
        .replaceAll("\\s+", " ");
  }
}
