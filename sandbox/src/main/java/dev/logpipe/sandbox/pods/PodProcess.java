package dev.logpipe.sandbox.pods;

import dev.logpipe.devservices.process.ChildProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * One run of a sandbox pod's container: a pipeline-worker JVM started from a {@link PodLaunch},
 * probed on its readiness path. A restart is a new PodProcess.
 */
final class PodProcess {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  private final PodLaunch launch;
  private final ChildProcess process;
  private final Instant started;

  private PodProcess(PodLaunch launch, ChildProcess process, Instant started) {
    this.launch = launch;
    this.process = process;
    this.started = started;
  }

  static PodProcess start(PodLaunch launch, String classpath, Instant now) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Small, quick-starting JVMs: the sandbox runs several on a laptop.
    if (launch.cpuMillicores() > 0) {
      // What the JVM would read from a cgroup's CPU quota: size its thread pools to the limit.
      command.add("-XX:ActiveProcessorCount=" + Math.max(1, (launch.cpuMillicores() + 999) / 1000));
    }
    command.addAll(
        List.of(
            "-Xmx" + launch.maxHeap(),
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Xss512k",
            "-Djava.io.tmpdir=" + launch.podDir().resolve("tmp"),
            "-cp",
            classpath,
            WorkerClasspath.MAIN_CLASS));
    command.addAll(launch.args());
    launch.podDir().resolve("tmp").toFile().mkdirs();
    ChildProcess process =
        ChildProcess.start(
            launch.podName(),
            command,
            launch.env(),
            launch.podDir(),
            launch.podDir().resolve("worker.log"));
    return new PodProcess(launch, process, now);
  }

  /** Asks the readiness endpoint (half a second at most): true on 200. */
  boolean probe() {
    if (!process.isAlive()) {
      return false;
    }
    try {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + launch.port() + launch.readinessPath()))
              .timeout(Duration.ofMillis(500))
              .build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGTERM, then SIGKILL after {@code grace} (the pod's termination grace period). */
  void stop(Duration grace) {
    process.stop(grace);
  }

  /** The exit code once the process has exited (128 + n for signal n), else empty. */
  OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : process.awaitExit(Duration.ZERO);
  }

  boolean alive() {
    return process.isAlive();
  }

  String env(String key) {
    return launch.env().get(key);
  }

  String name() {
    return launch.podName();
  }

  long pid() {
    return process.pid();
  }

  int port() {
    return launch.port();
  }

  long cpuMillicores() {
    return launch.cpuMillicores();
  }

  Instant started() {
    return started;
  }

  Path logFile() {
    return process.logFile();
  }

  String logTail() {
    return process.tail();
  }
}
