package dev.logpipe.devservices.redis;

import dev.logpipe.devservices.process.ChildProcess;
import dev.logpipe.devservices.process.ChildProcessService;
import dev.logpipe.devservices.process.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code redis-server} from the OS packages, without persistence, on a loopback port. The binary
 * comes from {@code LOGPIPE_REDIS_SERVER} or the PATH ({@code apt-get install redis-server}).
 */
public final class RedisDevService extends ChildProcessService {
  private final Path dataDir;
  private final int port;

  public RedisDevService(Path dataDir) {
    this(dataDir, Ports.free());
  }

  public RedisDevService(Path dataDir, int port) {
    super(Duration.ofSeconds(5));
    this.dataDir = dataDir;
    this.port = port;
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + dataDir, e);
    }
    List<String> command =
        List.of(
            binary(),
            "--port",
            String.valueOf(port),
            "--bind",
            Ports.LOOPBACK,
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            dataDir.toString(),
            "--protected-mode",
            "no");
    ChildProcess process =
        started(
            ChildProcess.start(name(), command, Map.of(), dataDir, dataDir.resolve("redis.log")));
    process.awaitReady(this::pong, Duration.ofSeconds(20));
  }

  static String binary() {
    String configured = System.getenv("LOGPIPE_REDIS_SERVER");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    for (String dir :
        System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    for (String fixed : List.of("/usr/bin/redis-server", "/usr/sbin/redis-server")) {
      if (Files.isExecutable(Path.of(fixed))) {
        return fixed;
      }
    }
    throw new IllegalStateException(
        "redis-server not found: install it (apt-get install -y redis-server) or set LOGPIPE_REDIS_SERVER");
  }

  private boolean pong() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(Ports.LOOPBACK, port), 200);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(7);
      return new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public String endpoint() {
    return "redis://" + Ports.LOOPBACK + ":" + port;
  }

  public int port() {
    return port;
  }
}
