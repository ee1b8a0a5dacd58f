package dev.logpipe.worker.it;

import dev.logpipe.devservices.process.ChildProcess;
import dev.logpipe.devservices.process.Ports;
import dev.logpipe.worker.DevClickHouse;
import dev.logpipe.worker.WorkerMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code pipeline-worker} child JVM started from this test's classpath, as a pod would run it.
 */
record WorkerProcess(ChildProcess process, int httpPort) {

  /** {@code pipeline-worker consume --config FILE}, waiting until its HTTP port accepts. */
  static WorkerProcess consume(Path configFile, Path dir, Map<String, String> env) {
    return start(List.of("consume", "--config", configFile.toString()), dir, env, true);
  }

  /**
   * {@code pipeline-worker <args>} with extra environment; waits for the HTTP port only when {@code
   * awaitReady} (a worker expected to refuse its config never opens it).
   */
  static WorkerProcess start(
      List<String> args, Path dir, Map<String, String> extraEnv, boolean awaitReady) {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                classpath,
                WorkerMain.class.getName()));
    command.addAll(args);
    int port = Ports.free();
    Map<String, String> env = new HashMap<>(DevClickHouse.env());
    env.putAll(extraEnv);
    env.put("LOGPIPE_HTTP_PORT", String.valueOf(port));
    env.put("LOGPIPE_HTTP_HOST", "127.0.0.1");
    ChildProcess process =
        ChildProcess.start("worker", command, env, dir, dir.resolve("worker.log"));
    if (awaitReady) {
      process.awaitReady(() -> Ports.accepts(port), Duration.ofSeconds(30));
    }
    return new WorkerProcess(process, port);
  }

  HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
