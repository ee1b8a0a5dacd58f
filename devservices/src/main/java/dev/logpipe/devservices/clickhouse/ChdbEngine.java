package dev.logpipe.devservices.clickhouse;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * One chDB connection on a data directory. chDB runs one statement at a time per connection, so
 * every call holds a lock; per-request database and settings are applied with USE / SET before the
 * statement and undone after it, because they would otherwise stick to the shared session.
 */
final class ChdbEngine implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ChdbEngine.class.getName());
  private static final int INSERT_CHUNK_BYTES = 1 << 20;

  /** What a request asks for besides its statement: database, settings, query parameters. */
  record Context(String database, Map<String, String> settings, Map<String, String> parameters) {
    Context {
      settings = Map.copyOf(settings);
      parameters = Map.copyOf(parameters);
    }
  }

  private final ChdbLibrary lib;
  private final Pointer connectionPointer;
  private final Pointer connection;
  private final ReentrantLock lock = new ReentrantLock(true);
  private final Memory insertBuffer = new Memory(INSERT_CHUNK_BYTES);
  private final byte[] insertChunk = new byte[INSERT_CHUNK_BYTES];
  private String currentDatabase;

  private ChdbEngine(ChdbLibrary lib, Pointer connectionPointer) {
    this.lib = lib;
    this.connectionPointer = connectionPointer;
    this.connection = connectionPointer.getPointer(0);
  }

  /**
   * Loads libchdb and connects to {@code dataDir}. Call once, from main, before any other thread
   * runs Java code that could fault: chDB resets the JVM's signal handlers while it boots, and they
   * are put back here.
   */
  static ChdbEngine open(Path library, Path dataDir) {
    SignalHandlers jvmHandlers = SignalHandlers.snapshot();
    ChdbLibrary lib = ChdbLibrary.load(library);
    lib.chdb_set_signal_handlers_enabled(0);
    Pointer connectionPointer =
        lib.chdb_connect(2, new String[] {"clickhouse", "--path=" + dataDir.toAbsolutePath()});
    List<Integer> changed = jvmHandlers.changedHandlers();
    jvmHandlers.restore();
    LOG.info(
        () ->
            "chDB connected; signal handlers it replaced: "
                + (changed.isEmpty() ? "none" : changed)
                + "; all JVM signal dispositions restored");
    if (connectionPointer == null || connectionPointer.getPointer(0) == null) {
      throw new IllegalStateException(
          "chdb_connect failed for "
              + dataDir
              + " (is another process using this data directory?)");
    }
    return new ChdbEngine(lib, connectionPointer);
  }

  String version() {
    return lib.chdb_version();
  }

  /** Runs one statement; a FORMAT clause in it wins over {@code format}. */
  ChdbResult query(Context context, String sql, String format) throws ChdbException {
    byte[] query = sql.getBytes(StandardCharsets.UTF_8);
    byte[] fmt = format.getBytes(StandardCharsets.UTF_8);
    lock.lock();
    try {
      enter(context);
      try {
        Pointer result;
        if (context.parameters().isEmpty()) {
          result = lib.chdb_query_n(connection, query, query.length, fmt, fmt.length);
        } else {
          Parameters p = new Parameters(context.parameters());
          result =
              lib.chdb_query_with_params_n(
                  connection,
                  query,
                  query.length,
                  fmt,
                  fmt.length,
                  p.names,
                  p.nameLengths,
                  p.values,
                  p.valueLengths,
                  p.count);
        }
        if (Statements.firstKeyword(sql).equals("USE")) {
          currentDatabase = null;
        }
        return checked(result);
      } finally {
        leave(context);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Streams {@code data} into {@code INSERT ...} (without its FORMAT clause) in 1 MiB chunks
   * through one reused native buffer; returns once chDB acknowledged the insert.
   */
  ChdbResult insert(Context context, String insert, String format, InputStream data)
      throws ChdbException, IOException {
    byte[] query = insert.getBytes(StandardCharsets.UTF_8);
    byte[] fmt = format.getBytes(StandardCharsets.UTF_8);
    lock.lock();
    try {
      enter(context);
      try {
        Pointer stream;
        if (context.parameters().isEmpty()) {
          stream = lib.chdb_stream_insert_n(connection, query, query.length, fmt, fmt.length);
        } else {
          Parameters p = new Parameters(context.parameters());
          stream =
              lib.chdb_stream_insert_with_params_n(
                  connection,
                  query,
                  query.length,
                  fmt,
                  fmt.length,
                  p.names,
                  p.nameLengths,
                  p.values,
                  p.valueLengths,
                  p.count);
        }
        try {
          String error = lib.chdb_stream_insert_error(stream);
          if (error != null) {
            throw new ChdbException(error);
          }
          int n;
          while ((n = data.readNBytes(insertChunk, 0, insertChunk.length)) > 0) {
            insertBuffer.write(0, insertChunk, 0, n);
            if (lib.chdb_stream_append(stream, insertBuffer, n) != 0) {
              String appendError = lib.chdb_stream_insert_error(stream);
              throw new ChdbException(
                  appendError == null ? "Code: 1001. insert failed" : appendError);
            }
          }
          return checked(lib.chdb_stream_done(stream));
        } catch (ChdbException | IOException | RuntimeException e) {
          lib.chdb_stream_cancel_insert(stream);
          throw e;
        } finally {
          lib.chdb_destroy_insert_stream(stream);
        }
      } finally {
        leave(context);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Single-column TabSeparated output as lines, for startup look-ups. */
  List<String> lines(String sql) throws ChdbException {
    try (ChdbResult result = query(new Context("default", Map.of(), Map.of()), sql, "TSVRaw")) {
      var data = result.data();
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      return new String(bytes, StandardCharsets.UTF_8).lines().collect(Collectors.toList());
    }
  }

  Set<String> settingNames() throws ChdbException {
    return new HashSet<>(lines("SELECT name FROM system.settings"));
  }

  private void enter(Context context) throws ChdbException {
    if (!context.database().equals(currentDatabase)) {
      currentDatabase = null;
      run("USE " + identifier(context.database()));
      currentDatabase = context.database();
    }
    if (!context.settings().isEmpty()) {
      run(
          "SET "
              + context.settings().entrySet().stream()
                  .map(e -> e.getKey() + " = " + literal(e.getValue()))
                  .collect(Collectors.joining(", ")));
    }
  }

  private void leave(Context context) throws ChdbException {
    if (!context.settings().isEmpty()) {
      run(
          "SET "
              + context.settings().keySet().stream()
                  .map(name -> name + " = DEFAULT")
                  .collect(Collectors.joining(", ")));
    }
  }

  private void run(String sql) throws ChdbException {
    byte[] query = sql.getBytes(StandardCharsets.UTF_8);
    byte[] fmt = "TSV".getBytes(StandardCharsets.UTF_8);
    checked(lib.chdb_query_n(connection, query, query.length, fmt, fmt.length)).close();
  }

  private ChdbResult checked(Pointer result) throws ChdbException {
    if (result == null) {
      throw new ChdbException(
          "Code: 1001. DB::Exception: chDB returned no result. (STD_EXCEPTION)");
    }
    String error = lib.chdb_result_error(result);
    if (error != null) {
      lib.chdb_destroy_query_result(result);
      throw new ChdbException(error);
    }
    return new ChdbResult(lib, result);
  }

  static String identifier(String name) {
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
  }

  static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  @Override
  public void close() {
    lock.lock();
    try {
      lib.chdb_close_conn(connectionPointer);
    } finally {
      lock.unlock();
    }
  }

  /** Query parameters as the byte arrays chdb_query_with_params_n takes. */
  private static final class Parameters {
    final Pointer[] names;
    final long[] nameLengths;
    final Pointer[] values;
    final long[] valueLengths;
    final int count;

    Parameters(Map<String, String> parameters) {
      count = parameters.size();
      names = new Pointer[count];
      nameLengths = new long[count];
      values = new Pointer[count];
      valueLengths = new long[count];
      int i = 0;
      for (Map.Entry<String, String> e : parameters.entrySet()) {
        names[i] = memory(e.getKey().getBytes(StandardCharsets.UTF_8));
        nameLengths[i] = e.getKey().getBytes(StandardCharsets.UTF_8).length;
        byte[] value = e.getValue().getBytes(StandardCharsets.UTF_8);
        values[i] = memory(value);
        valueLengths[i] = value.length;
        i++;
      }
    }

    private static Pointer memory(byte[] bytes) {
      Memory m = new Memory(Math.max(1, bytes.length));
      m.write(0, bytes, 0, bytes.length);
      return m;
    }
  }
}
