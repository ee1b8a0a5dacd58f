package dev.logpipe.devservices.clickhouse;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A ClickHouse HTTP-interface server over chDB, run as its own JVM by {@link ClickHouseDevService}.
 * Prints {@code READY <port> <version>} once it serves.
 *
 * <p>Arguments: {@code --port N --data-dir DIR [--lib libchdb.so] [--user U --password P]}. Start
 * it with {@code -Dsun.net.httpserver.nodelay=true} (else every keep-alive response waits ~40 ms
 * for delayed ACKs) and {@code TZ=UTC}.
 */
public final class ChdbServerMain {
  private static final int HTTP_THREADS = 8;
  // Beyond the 8 kept threads, up to this many for a burst of requests: queries wait for the one
  // engine (its lock) anyway, but /ping must not wait behind them for a thread, as a real
  // ClickHouse answers it at once however busy it is (the autoscaler's outage check pings it).
  private static final int MAX_HTTP_THREADS = 64;

  private ChdbServerMain() {}

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    Map<String, String> options = options(args);
    int port = Integer.parseInt(required(options, "port"));
    Path dataDir = Path.of(required(options, "data-dir"));
    Path library =
        options.containsKey("lib")
            ? Path.of(options.get("lib"))
            : ChdbLibrary.resolve(System.getenv());
    Files.createDirectories(dataDir);
    FileLock dataDirLock = lockDataDir(dataDir);

    // Before any other thread: chDB resets the JVM's signal handlers while connecting.
    ChdbEngine engine = ChdbEngine.open(library, dataDir);
    String version = engine.lines("SELECT version()").get(0);
    String timezone = engine.lines("SELECT timezone()").get(0);
    var settingNames = engine.settingNames();
    SelfCheck.survivesImplicitNullChecks();

    ChdbHttpHandler.Credentials credentials =
        options.containsKey("password")
            ? new ChdbHttpHandler.Credentials(
                options.getOrDefault("user", "default"), options.get("password"))
            : ChdbHttpHandler.Credentials.anyone();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    server.createContext(
        "/",
        new ChdbHttpHandler(
            engine,
            new ChdbHttpHandler.ServerIdentity(version, timezone, "logpipe-chdb"),
            settingNames,
            credentials));
    ExecutorService executor =
        new java.util.concurrent.ThreadPoolExecutor(
            HTTP_THREADS,
            MAX_HTTP_THREADS,
            60,
            java.util.concurrent.TimeUnit.SECONDS,
            new java.util.concurrent.SynchronousQueue<>(),
            httpThreads(),
            new java.util.concurrent.ThreadPoolExecutor.CallerRunsPolicy());
    server.setExecutor(executor);
    server.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stop(0);
                  engine.close();
                  try {
                    dataDirLock.release();
                  } catch (IOException ignored) {
                    // the process is exiting; the OS drops the lock anyway
                  }
                },
                "chdb-shutdown"));
    System.out.printf(
        "READY %d %s (timezone %s, data %s, started in %d ms)%n",
        port, version, timezone, dataDir, (System.nanoTime() - started) / 1_000_000);
    System.out.flush();
  }

  /** chDB's own lock gives an obscure error; this one names the directory. */
  private static FileLock lockDataDir(Path dataDir) throws IOException {
    FileChannel channel =
        FileChannel.open(
            dataDir.resolve(".logpipe-chdb.lock"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      throw new IllegalStateException(
          "another process serves "
              + dataDir
              + ": chDB opens a data directory from one process only");
    }
    return lock;
  }

  private static java.util.concurrent.ThreadFactory httpThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "chdb-http-" + count.incrementAndGet());
      thread.setDaemon(false);
      return thread;
    };
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + arg);
      }
      int eq = arg.indexOf('=');
      if (eq > 0) {
        options.put(arg.substring(2, eq), arg.substring(eq + 1));
      } else if (i + 1 < args.length) {
        options.put(arg.substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("missing value for " + arg);
      }
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException(
          "usage: ChdbServerMain --port N --data-dir DIR [--lib libchdb.so] [--user U --password P]"
              + " (missing --"
              + name
              + ")");
    }
    return value;
  }
}
