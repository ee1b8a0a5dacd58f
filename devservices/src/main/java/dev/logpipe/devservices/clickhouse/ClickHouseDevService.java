package dev.logpipe.devservices.clickhouse;

import dev.logpipe.devservices.process.ChildJvm;
import dev.logpipe.devservices.process.ChildProcess;
import dev.logpipe.devservices.process.ChildProcessService;
import dev.logpipe.devservices.process.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ClickHouse for tests and the sandbox: a chDB-backed HTTP-interface server ({@link
 * ChdbServerMain}) in a child JVM on loopback, or an external clickhouse-server when {@value
 * #ENV_URL} is set. Port and data directory are fixed at construction, so a killed server restarts
 * with its tables.
 */
public final class ClickHouseDevService extends ChildProcessService {
  /** e.g. {@code http://default:secret@127.0.0.1:8123}: run against a real clickhouse-server. */
  public static final String ENV_URL = "LOGPIPE_CLICKHOUSE_URL";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path dataDir;
  private final int port;
  private final String externalUrl;
  private final String user;
  private final String password;

  /** A local server on a free port, chosen once and kept across restarts. */
  public ClickHouseDevService(Path dataDir) {
    this(dataDir, Ports.free());
  }

  public ClickHouseDevService(Path dataDir, int port) {
    this(dataDir, port, "default", null);
  }

  private ClickHouseDevService(Path dataDir, int port, String user, String password) {
    super(Duration.ofSeconds(10));
    this.dataDir = dataDir;
    this.port = port;
    this.externalUrl = null;
    this.user = user;
    this.password = password;
  }

  private ClickHouseDevService(String url) {
    super(Duration.ofSeconds(10));
    URI uri = URI.create(url);
    String userInfo = uri.getUserInfo();
    this.dataDir = null;
    this.port = uri.getPort();
    this.externalUrl =
        uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    this.user = userInfo == null ? "default" : userInfo.split(":", 2)[0];
    this.password = userInfo == null || !userInfo.contains(":") ? null : userInfo.split(":", 2)[1];
  }

  /** A local server that requires {@code user}/{@code password} (HTTP 403, code 516 otherwise). */
  public static ClickHouseDevService withPassword(Path dataDir, String user, String password) {
    return new ClickHouseDevService(dataDir, Ports.free(), user, password);
  }

  /**
   * Uses a running clickhouse-server at {@code url} (credentials in its user info); starts nothing.
   */
  public static ClickHouseDevService external(String url) {
    return new ClickHouseDevService(url);
  }

  /** Whether {@value #ENV_URL} points the tests at an external server (nothing to kill). */
  public static boolean externalConfigured() {
    String url = System.getenv(ENV_URL);
    return url != null && !url.isBlank();
  }

  /**
   * {@link #external} when {@value #ENV_URL} is set, else a local chDB server in {@code dataDir}.
   */
  public static ClickHouseDevService fromEnvironment(Path dataDir) {
    return externalConfigured()
        ? external(System.getenv(ENV_URL))
        : new ClickHouseDevService(dataDir);
  }

  @Override
  public String name() {
    return "clickhouse";
  }

  public boolean isExternal() {
    return externalUrl != null;
  }

  @Override
  public synchronized void start() {
    if (isExternal() || isRunning()) {
      return;
    }
    List<String> args =
        new ArrayList<>(
            List.of(
                "--port",
                Integer.toString(port),
                "--data-dir",
                dataDir.resolve("data").toString()));
    if (password != null) {
      args.addAll(List.of("--user", user, "--password", password));
    }
    List<String> command =
        ChildJvm.command(
            List.of("-Dsun.net.httpserver.nodelay=true", "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC"),
            ChdbServerMain.class,
            args);
    ChildProcess process =
        started(
            ChildProcess.start(
                name(), command, Map.of("TZ", "UTC"), dataDir, dataDir.resolve("clickhouse.log")));
    process.awaitReady(this::answersPing, START_TIMEOUT);
  }

  @Override
  public synchronized void kill() {
    if (isExternal()) {
      throw new UnsupportedOperationException(
          "cannot kill an external ClickHouse at " + externalUrl);
    }
    super.kill();
  }

  @Override
  public synchronized boolean isRunning() {
    return isExternal() || super.isRunning();
  }

  /** The HTTP interface, e.g. {@code http://127.0.0.1:40123}. */
  @Override
  public String endpoint() {
    return isExternal() ? externalUrl : "http://" + Ports.LOOPBACK + ":" + port;
  }

  public String user() {
    return user;
  }

  /** The password clients must send; empty when the server accepts any. */
  public String password() {
    return password == null ? "" : password;
  }

  /** The child's log (chDB and HTTP front), for test failure messages. */
  public Path logFile() {
    return dataDir == null ? null : dataDir.resolve("clickhouse.log");
  }

  private boolean answersPing() {
    try {
      HttpURLConnection connection =
          (HttpURLConnection) URI.create(endpoint() + "/ping").toURL().openConnection();
      connection.setConnectTimeout(200);
      connection.setReadTimeout(1000);
      try (InputStream in = connection.getInputStream()) {
        return connection.getResponseCode() == 200
            && new String(in.readAllBytes()).startsWith("Ok.");
      } finally {
        connection.disconnect();
      }
    } catch (IOException notYet) {
      return false;
    }
  }
}
