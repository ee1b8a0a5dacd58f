package dev.logpipe.worker.sink;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;
import dev.logpipe.worker.config.LogTableSchema;
import dev.logpipe.worker.config.SqlIdentifiers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The durable batch ledger ({@code <table>_ledger}, the design of ClickHouse's Kafka Connect sink):
 * a batch's exact ranges, topic id and deduplication token are written before the batch is
 * inserted, and confirmed after. Whoever owns a partition next reads its latest entry: confirmed
 * means resume after it, unconfirmed means re-insert exactly that batch with the same token first.
 */
public final class BatchLedger {
  private static final List<String> COLUMNS =
      List.of(
          "topic_id",
          "partition",
          "first_offset",
          "last_offset",
          "token",
          "stored",
          "batch_partitions",
          "batch_first",
          "batch_last",
          "written_at");

  /** Offsets [first, last] one Kafka partition contributed to a batch. */
  public record Range(int partition, long first, long last) {}

  /**
   * One batch of one topic incarnation: its ranges (partition order) and token; {@code stored}
   * false while its insert is not known to have been acknowledged.
   */
  public record Entry(String topicId, String token, List<Range> ranges, boolean stored) {
    public Entry {
      ranges = List.copyOf(ranges);
    }

    public Entry confirmed() {
      return new Entry(topicId, token, ranges, true);
    }

    public Range range(int partition) {
      return ranges.stream().filter(r -> r.partition() == partition).findFirst().orElse(null);
    }
  }

  private final Client client;
  private final String database;
  private final String table;
  private final long timeoutSeconds;

  /** The ledger of the pipeline table {@code database.table}. */
  public BatchLedger(Client client, String database, String table, long timeoutSeconds) {
    this.client = client;
    this.database = SqlIdentifiers.require("database", database);
    this.table = SqlIdentifiers.require("table", table);
    this.timeoutSeconds = timeoutSeconds;
  }

  private String ledgerTable() {
    return table + LogTableSchema.LEDGER_SUFFIX;
  }

  /** Writes {@code entries} (a row per range) and returns once ClickHouse acknowledged them. */
  public void write(List<Entry> entries) throws StoreException {
    if (entries.isEmpty()) {
      return;
    }
    long now = System.currentTimeMillis();
    RowBinaryBuffer rows = new RowBinaryBuffer(256 * entries.size());
    for (Entry e : entries) {
      for (Range r : e.ranges()) {
        rows.string(e.topicId());
        rows.int32(r.partition());
        rows.int64(r.first());
        rows.int64(r.last());
        rows.string(e.token());
        rows.byte1(e.stored() ? 1 : 0);
        rows.varint(e.ranges().size());
        e.ranges().forEach(x -> rows.int32(x.partition()));
        rows.varint(e.ranges().size());
        e.ranges().forEach(x -> rows.int64(x.first()));
        rows.varint(e.ranges().size());
        e.ranges().forEach(x -> rows.int64(x.last()));
        rows.int64(now);
      }
    }
    String what = "writing the batch ledger " + database + "." + ledgerTable();
    try (InsertResponse ignored =
        client
            .insert(
                ledgerTable(),
                COLUMNS,
                out -> out.write(rows.array(), 0, rows.size()),
                ClickHouseFormat.RowBinary,
                new InsertSettings().setDatabase(database))
            .get(timeoutSeconds, TimeUnit.SECONDS)) {
      // acknowledged: the entries are durable
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while " + what, 0, e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      throw ClickHouseBatchWriter.failure(what, e);
    }
  }

  /** The latest entry of each of {@code partitions} under {@code topicId}; absent: none. */
  public Map<Integer, Entry> latest(String topicId, Collection<Integer> partitions)
      throws StoreException {
    String sql = LogTableSchema.selectLatestLedgerEntries(database, table);
    Map<String, Object> params =
        Map.of("topic_id", topicId, "partitions", new ArrayList<>(partitions));
    try {
      Map<Integer, Entry> latest = new HashMap<>();
      for (GenericRecord row : client.queryAll(sql, params)) {
        List<Long> ps = row.getList("batch_partitions");
        List<Long> firsts = row.getList("batch_first");
        List<Long> lasts = row.getList("batch_last");
        List<Range> ranges = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
          ranges.add(
              new Range(
                  ((Number) ps.get(i)).intValue(),
                  ((Number) firsts.get(i)).longValue(),
                  ((Number) lasts.get(i)).longValue()));
        }
        latest.put(
            (int) row.getLong("partition"),
            new Entry(topicId, row.getString("token"), ranges, row.getInteger("stored") == 1));
      }
      return latest;
    } catch (RuntimeException e) {
      throw ClickHouseBatchWriter.failure(
          "reading the batch ledger " + database + "." + ledgerTable(), e);
    }
  }
}
