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

/** One sandbox pod: a pipeline-worker JVM started from a {@link PodLaunch}, probed on /readyz. */
final class PodProcess implements RunningPod {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  private final PodLaunch launch;
  private final String templateHash;
  private final ChildProcess process;
  private final Instant started;
  private volatile boolean ready;

  private PodProcess(PodLaunch launch, String templateHash, ChildProcess process, Instant started) {
    this.launch = launch;
    this.templateHash = templateHash;
    this.process = process;
    this.started = started;
  }

  static PodProcess start(PodLaunch launch, String templateHash, String classpath, Instant now) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Small, quick-starting JVMs: the sandbox runs several on a laptop.
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
    return new PodProcess(launch, templateHash, process, now);
  }

  /** Asks the readiness endpoint (half a second at most) and remembers the answer. */
  boolean probe() {
    if (!process.isAlive()) {
      ready = false;
      return false;
    }
    try {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + launch.port() + launch.readinessPath()))
              .timeout(Duration.ofMillis(500))
              .build();
      ready = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (java.io.IOException e) {
      ready = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ready = false;
    }
    return ready;
  }

  void stop(Duration grace) {
    ready = false;
    process.stop(grace);
  }

  @Override
  public String templateHash() {
    return templateHash;
  }

  @Override
  public boolean alive() {
    return process.isAlive();
  }

  @Override
  public boolean ready() {
    return ready && process.isAlive();
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
