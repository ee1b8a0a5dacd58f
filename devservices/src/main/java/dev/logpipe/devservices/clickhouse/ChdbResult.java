package dev.logpipe.devservices.clickhouse;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * A successful chDB result. Its data stays in native memory until {@link #close()}, so the HTTP
 * front writes (or compresses) it without copying it onto the Java heap first.
 */
final class ChdbResult implements AutoCloseable {
  private final ChdbLibrary lib;
  private Pointer result;
  private final long resultRows;
  private final long resultBytes;
  private final long readRows;
  private final long readBytes;
  private final long writtenRows;
  private final long writtenBytes;
  private final long elapsedNanos;

  ChdbResult(ChdbLibrary lib, Pointer result) {
    this.lib = lib;
    this.result = result;
    this.resultRows = lib.chdb_result_rows_read(result);
    this.resultBytes = lib.chdb_result_bytes_read(result);
    this.readRows = lib.chdb_result_storage_rows_read(result);
    this.readBytes = lib.chdb_result_storage_bytes_read(result);
    this.writtenRows = lib.chdb_result_rows_written(result);
    this.writtenBytes = lib.chdb_result_bytes_written(result);
    this.elapsedNanos = (long) (lib.chdb_result_elapsed(result) * 1e9);
  }

  /** A read-only view of the output bytes in native memory; empty for DDL and inserts. */
  ByteBuffer data() {
    long length = lib.chdb_result_length(result);
    if (length == 0) {
      return ByteBuffer.allocate(0);
    }
    if (length > Integer.MAX_VALUE) {
      throw new IllegalStateException("result of " + length + " bytes is over 2 GiB");
    }
    return lib.chdb_result_buffer(result).getByteBuffer(0, length).asReadOnlyBuffer();
  }

  long resultRows() {
    return resultRows;
  }

  long resultBytes() {
    return resultBytes;
  }

  long readRows() {
    return readRows;
  }

  long readBytes() {
    return readBytes;
  }

  long writtenRows() {
    return writtenRows;
  }

  long writtenBytes() {
    return writtenBytes;
  }

  long elapsedNanos() {
    return elapsedNanos;
  }

  @Override
  public void close() {
    if (result != null) {
      lib.chdb_destroy_query_result(result);
      result = null;
    }
  }
}
