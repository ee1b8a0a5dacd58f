package dev.logpipe.devservices.clickhouse;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The C API of libchdb.so (chDB's chdb.h), bound with JNA. Only what the server uses. */
interface ChdbLibrary extends Library {
  String ENV_LIBRARY = "LOGPIPE_CHDB_LIB";
  Path DEFAULT_LIBRARY =
      dev.logpipe.devservices.process.UserHome.path()
          .resolve(".cache/logpipe/chdb/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so");

  void chdb_set_signal_handlers_enabled(int enabled);

  /** Returns a {@code chdb_connection*}: dereference it for the query functions. */
  Pointer chdb_connect(int argc, String[] argv);

  void chdb_close_conn(Pointer connectionPointer);

  Pointer chdb_query_n(Pointer conn, byte[] query, long queryLen, byte[] format, long formatLen);

  Pointer chdb_query_with_params_n(
      Pointer conn,
      byte[] query,
      long queryLen,
      byte[] format,
      long formatLen,
      Pointer[] names,
      long[] nameLens,
      Pointer[] values,
      long[] valueLens,
      long count);

  Pointer chdb_result_buffer(Pointer result);

  long chdb_result_length(Pointer result);

  String chdb_result_error(Pointer result);

  long chdb_result_rows_read(Pointer result);

  long chdb_result_bytes_read(Pointer result);

  long chdb_result_storage_rows_read(Pointer result);

  long chdb_result_storage_bytes_read(Pointer result);

  long chdb_result_rows_written(Pointer result);

  long chdb_result_bytes_written(Pointer result);

  double chdb_result_elapsed(Pointer result);

  void chdb_destroy_query_result(Pointer result);

  /** The INSERT without its FORMAT clause, e.g. {@code INSERT INTO db.t (a, b)}. */
  Pointer chdb_stream_insert_n(
      Pointer conn, byte[] query, long queryLen, byte[] format, long formatLen);

  Pointer chdb_stream_insert_with_params_n(
      Pointer conn,
      byte[] query,
      long queryLen,
      byte[] format,
      long formatLen,
      Pointer[] names,
      long[] nameLens,
      Pointer[] values,
      long[] valueLens,
      long count);

  int chdb_stream_append(Pointer stream, Pointer data, long len);

  Pointer chdb_stream_done(Pointer stream);

  String chdb_stream_insert_error(Pointer stream);

  void chdb_stream_cancel_insert(Pointer stream);

  void chdb_destroy_insert_stream(Pointer stream);

  String chdb_version();

  /** LOGPIPE_CHDB_LIB, else the npm cache path the CI installs to. */
  static Path resolve(Map<String, String> env) {
    String configured = env.get(ENV_LIBRARY);
    return configured == null || configured.isBlank() ? DEFAULT_LIBRARY : Path.of(configured);
  }

  static ChdbLibrary load(Path library) {
    if (!Files.isRegularFile(library)) {
      throw new IllegalStateException(
          "libchdb.so not found at "
              + library
              + ": install it with `npm install --prefix ~/.cache/logpipe/chdb"
              + " @chdb/lib-linux-x64-gnu@26.7.3-stable.1` or point "
              + ENV_LIBRARY
              + " at a libchdb.so");
    }
    return Native.load(library.toAbsolutePath().toString(), ChdbLibrary.class);
  }
}
