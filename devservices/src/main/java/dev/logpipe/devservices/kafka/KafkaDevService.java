package dev.logpipe.devservices.kafka;

import dev.logpipe.devservices.DevService;
import dev.logpipe.devservices.process.ChildJvm;
import dev.logpipe.devservices.process.ChildProcess;
import dev.logpipe.devservices.process.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A single-node KRaft Kafka broker in a child JVM ({@link KafkaMain}). Ports and data directory are
 * fixed at construction, so a killed broker restarts with its topics and offsets.
 */
public final class KafkaDevService implements DevService {
  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private ChildProcess process;

  public KafkaDevService(Path dataDir) {
    this(dataDir, Ports.free());
  }

  public KafkaDevService(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
    this.controllerPort = Ports.free();
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    List<String> command =
        ChildJvm.command(
            List.of("-Xms256m", "-Xmx768m", "-XX:+UseSerialGC"),
            KafkaMain.class,
            List.of(dataDir.toString(), String.valueOf(port), String.valueOf(controllerPort)));
    process =
        ChildProcess.start(
            name(), command, Map.of(), dataDir.getParent(), dataDir.resolve("kafka.log"));
    process.awaitReady(() -> Ports.accepts(port), Duration.ofSeconds(60));
  }

  @Override
  public synchronized void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(10));
      process = null;
    }
  }

  @Override
  public synchronized void kill() {
    if (process != null) {
      process.kill();
      process = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The bootstrap servers string for clients. */
  @Override
  public String endpoint() {
    return Ports.LOOPBACK + ":" + port;
  }

  public long pid() {
    return process == null ? -1 : process.pid();
  }
}
