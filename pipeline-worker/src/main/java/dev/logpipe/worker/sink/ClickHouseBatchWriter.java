package dev.logpipe.worker.sink;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.DataStreamWriter;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;
import dev.logpipe.worker.config.LogTableSchema;
import dev.logpipe.worker.config.SqlIdentifiers;
import dev.logpipe.worker.health.RootCause;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes RowBinary batches into the pipeline's table, one insert per batch; the caller retries a
 * failed batch identically, with the same deduplication token.
 */
public final class ClickHouseBatchWriter implements AutoCloseable {
  private static final List<String> COLUMN_NAMES =
      LogTableSchema.COLUMNS.stream().map(LogTableSchema.Column::name).toList();

  private final Client client;
  private final String database;
  private final String table;
  private final long timeoutSeconds;

  public ClickHouseBatchWriter(Client client, String database, String table, long timeoutSeconds) {
    this.client = client;
    this.database = SqlIdentifiers.require("database", database);
    this.table = SqlIdentifiers.require("table", table);
    this.timeoutSeconds = timeoutSeconds;
  }

  /** Inserts {@code rows} rows written by {@code body}; returns the rows the server wrote. */
  public long insert(DataStreamWriter body, String deduplicationToken) throws StoreException {
    InsertSettings settings =
        new InsertSettings()
            .setDatabase(database)
            .setDeduplicationToken(deduplicationToken)
            // One block per insert, whatever the server's defaults: a re-insert of the same rows
            // then makes parts with the same block ids, so the parts that landed are dropped.
            // (Batches hold at most 1,000,000 rows.)
            .serverSetting("max_insert_block_size", "1048576")
            .serverSetting("insert_deduplicate", "1")
            // Bounds a query that runs; it does not stop an insert that waited in a stalled
            // server from landing later (the ledger's identical re-insert covers that).
            .serverSetting("max_execution_time", String.valueOf(Math.max(1, timeoutSeconds - 5)));
    try (InsertResponse response =
        client
            .insert(table, COLUMN_NAMES, body, ClickHouseFormat.RowBinary, settings)
            .get(timeoutSeconds, TimeUnit.SECONDS)) {
      return response.getWrittenRows();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while storing a batch", 0, e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      throw failure("insert into " + database + "." + table, e);
    }
  }

  /**
   * How many rows with a position in {@code ranges} are stored, looking only at rows stamped within
   * [{@code fromMs}, {@code toMs}] (the batch's own timestamps, so only its days are read).
   */
  public long storedPositions(List<BatchLedger.Range> ranges, long fromMs, long toMs)
      throws StoreException {
    Map<String, Object> params = new HashMap<>();
    params.put("from", fromMs);
    params.put("to", toMs);
    params.put("ps", ranges.stream().map(BatchLedger.Range::partition).toList());
    params.put("fs", ranges.stream().map(BatchLedger.Range::first).toList());
    params.put("ls", ranges.stream().map(BatchLedger.Range::last).toList());
    try {
      List<GenericRecord> rows =
          client.queryAll(
              "SELECT uniqExact(_partition, _offset) AS n FROM "
                  + LogTableSchema.qualified(database, table)
                  + " WHERE timestamp BETWEEN fromUnixTimestamp64Milli({from:Int64}, 'UTC')"
                  + " AND fromUnixTimestamp64Milli({to:Int64}, 'UTC')"
                  + " AND arrayExists((p, f, l) -> _partition = p AND _offset BETWEEN f AND l,"
                  + " {ps:Array(UInt32)}, {fs:Array(UInt64)}, {ls:Array(UInt64)})",
              params);
      return rows.get(0).getLong("n");
    } catch (RuntimeException e) {
      throw failure("counting stored positions in " + database + "." + table, e);
    }
  }

  static StoreException failure(String what, Throwable e) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    ServerException server = null;
    for (Throwable t = cause; t != null && server == null; t = t.getCause()) {
      server = t instanceof ServerException s ? s : null;
    }
    // The server's own message, or the root cause ("Connection refused", "Read timed out"), not
    // the client's wrapper ("Insert request failed after attempts: 4").
    String message = server != null ? RootCause.of(server) : RootCause.of(cause);
    return new StoreException(
        what + " failed: " + message, server == null ? 0 : server.getCode(), cause);
  }

  @Override
  public void close() {
    client.close();
  }
}
