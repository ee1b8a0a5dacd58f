package dev.logpipe.devservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.process.ChildJvm;
import dev.logpipe.devservices.process.Ports;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CLI for manual use ({@code devservices <kind> --dir DIR}): starts one service alone, writes
 * only its endpoint to {@code endpoints.env}, and on SIGTERM stops it and leaves no process behind.
 * Prints each service's startup time and resident memory (the figures the README quotes).
 */
class DevServicesCliIT {

  @ParameterizedTest
  @EnumSource(DevServices.Kind.class)
  void startsOneServiceAloneAndStopsItOnSigterm(DevServices.Kind kind, @TempDir Path dir)
      throws Exception {
    String name = kind.name().toLowerCase(Locale.ROOT);
    long t0 = System.nanoTime();
    Process cli =
        new ProcessBuilder(
                ChildJvm.command(
                    List.of("-Xmx128m"),
                    DevServicesCli.class,
                    List.of(name, "--dir", dir.toString())))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("cli.log").toFile())
            .start();
    try {
      Path env = dir.resolve("endpoints.env");
      await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(env) || !cli.isAlive());
      assertThat(cli.isAlive()).as("CLI alive; its log: %s", log(dir)).isTrue();
      long readyMs = (System.nanoTime() - t0) / 1_000_000;

      List<String> lines = Files.readAllLines(env);
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0)).startsWith("LOGPIPE_" + kind.name() + "=");
      String value = lines.get(0).substring(lines.get(0).indexOf('=') + 1);
      // Kafka's endpoint is host:port (bootstrap servers), the others are URLs.
      URI endpoint = URI.create(value.contains("://") ? value : "tcp://" + value);
      assertThat(endpoint.getHost()).isEqualTo(Ports.LOOPBACK);
      assertThat(Ports.accepts(endpoint.getPort())).isTrue();

      List<ProcessHandle> children = cli.descendants().toList();
      assertThat(children).as("the service runs as a child of the CLI").isNotEmpty();
      long rssKb = 0;
      for (ProcessHandle child : children) {
        rssKb += rssKb(child.pid());
      }
      System.out.printf(
          "devservices %-10s ready in %5d ms (CLI JVM start included), service RSS %d MB%n",
          name, readyMs, rssKb / 1024);

      cli.destroy(); // SIGTERM
      assertThat(cli.waitFor(30, TimeUnit.SECONDS)).as("CLI exits after SIGTERM").isTrue();
      for (ProcessHandle child : children) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !child.isAlive());
      }
      assertThat(Ports.accepts(endpoint.getPort())).isFalse();
    } finally {
      cli.descendants().forEach(ProcessHandle::destroyForcibly);
      cli.destroyForcibly();
    }
  }

  private static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return 0;
  }

  private static String log(Path dir) throws IOException {
    Path log = dir.resolve("cli.log");
    return Files.exists(log) ? Files.readString(log) : "(none)";
  }
}
