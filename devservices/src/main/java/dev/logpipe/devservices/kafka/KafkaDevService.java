package dev.logpipe.devservices.kafka;

import dev.logpipe.devservices.process.ChildJvm;
import dev.logpipe.devservices.process.ChildProcess;
import dev.logpipe.devservices.process.ChildProcessService;
import dev.logpipe.devservices.process.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A single-node KRaft Kafka broker in a child JVM ({@link KafkaMain}). Ports and data directory are
 * fixed at construction, so a killed broker restarts with its topics and offsets.
 */
public final class KafkaDevService extends ChildProcessService {
  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private final int scramPort;

  public KafkaDevService(Path dataDir) {
    this(dataDir, Ports.free());
  }

  public KafkaDevService(Path dataDir, int port) {
    super(Duration.ofSeconds(10));
    this.dataDir = dataDir;
    this.port = port;
    this.controllerPort = Ports.free();
    this.scramPort = Ports.free();
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
            List.of(
                dataDir.toString(),
                String.valueOf(port),
                String.valueOf(controllerPort),
                String.valueOf(scramPort)));
    ChildProcess process =
        started(
            ChildProcess.start(
                name(), command, Map.of(), dataDir.getParent(), dataDir.resolve("kafka.log")));
    process.awaitReady(
        () -> Ports.accepts(port) && Ports.accepts(scramPort), Duration.ofSeconds(60));
  }

  /** The bootstrap servers string for clients. */
  @Override
  public String endpoint() {
    return Ports.LOOPBACK + ":" + port;
  }

  /**
   * The bootstrap servers of the SASL_PLAINTEXT listener, where clients authenticate with
   * SCRAM-SHA-512 and ACLs apply.
   */
  public String scramEndpoint() {
    return Ports.LOOPBACK + ":" + scramPort;
  }
}
