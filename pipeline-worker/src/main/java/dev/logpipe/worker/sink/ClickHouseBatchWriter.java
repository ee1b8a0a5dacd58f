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
 * Writes RowBinary batches into the pipeline's table and reads back the per-partition high-water
 * marks. One insert per batch; the caller retries a failed batch with the same deduplication token.
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
            // The server gives up before the client does, so a timed-out batch never lands later.
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

  /** Highest stored offset per Kafka partition (absent: nothing stored for that partition). */
  public Map<Integer, Long> highWaterMarks() throws StoreException {
    try {
      List<GenericRecord> rows =
          client.queryAll(LogTableSchema.selectHighWaterMarks(database, table));
      Map<Integer, Long> marks = new HashMap<>();
      for (GenericRecord row : rows) {
        marks.put((int) row.getLong("_partition"), row.getLong("max_offset"));
      }
      return marks;
    } catch (RuntimeException e) {
      throw failure("reading stored offsets of " + database + "." + table, e);
    }
  }

  private static StoreException failure(String what, Throwable e) {
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
