package dev.logpipe.sandbox;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The launcher's settings.
 *
 * @param repoRoot where crds/ and examples/ are
 * @param dir the sandbox's working directory (data, logs, kubeconfig, manifests)
 * @param duration run this long and exit (CI smoke test); null runs until Ctrl-C
 * @param apiPort the API server's port; 0 picks a free one
 * @param rate log lines per second from the generator; 0 starts no generator
 * @param applyPipeline apply the quick-start LogPipeline (tests apply their own with kubectl)
 * @param kafkaScram the backend turns on per-pipeline Kafka users (SCRAM-SHA-512 on the dev Kafka's
 *     SASL listener); false: plaintext, no users
 */
public record SandboxOptions(
    Path repoRoot,
    Path dir,
    Duration duration,
    int apiPort,
    int rate,
    boolean gateway,
    boolean applyPipeline,
    boolean kafkaScram) {

  /** Plaintext Kafka without per-pipeline users, as the sandbox ITs before Kafka users ran. */
  public SandboxOptions(
      Path repoRoot,
      Path dir,
      Duration duration,
      int apiPort,
      int rate,
      boolean gateway,
      boolean applyPipeline) {
    this(repoRoot, dir, duration, apiPort, rate, gateway, applyPipeline, false);
  }

  public static SandboxOptions parse(String[] args, Path repoRoot) {
    Path dir = repoRoot.resolve(".sandbox");
    Duration duration = null;
    int port = 0;
    int rate = 200;
    boolean gateway = true;
    boolean kafkaScram = true;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--duration" -> {
          duration = Durations.parse(value);
          i++;
        }
        case "--dir" -> {
          dir = Path.of(value).toAbsolutePath();
          i++;
        }
        case "--api-port" -> {
          port = Integer.parseInt(value);
          i++;
        }
        case "--rate" -> {
          rate = Integer.parseInt(value);
          i++;
        }
        case "--no-gateway" -> gateway = false;
        case "--kafka-plaintext" -> kafkaScram = false;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    return new SandboxOptions(repoRoot, dir, duration, port, rate, gateway, true, kafkaScram);
  }

  public static final String USAGE =
      "usage: bin/sandbox [--duration 60s] [--rate 200] [--api-port 0] [--dir .sandbox] [--no-gateway]"
          + " [--kafka-plaintext]\n"
          + "       bin/sandbox loggen --help   (the log generator on its own)";
}
