package dev.logpipe.worker.it;

import dev.logpipe.worker.ConsumeCommand;
import dev.logpipe.worker.DevClickHouse;
import dev.logpipe.worker.config.PipelineConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/** A worker's consume mode running in this JVM on a thread of its own. */
final class RunningWorker implements AutoCloseable {
  private final ConsumeCommand command;
  private final Thread thread;

  RunningWorker(PipelineConfig config) {
    this(config, Map.of());
  }

  /** With the pipeline's worker environment ({@link TestPipeline#workerEnv()}: its Kafka login). */
  RunningWorker(TestPipeline pipeline) {
    this(pipeline.config(), pipeline.workerEnv());
  }

  private RunningWorker(PipelineConfig config, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>(DevClickHouse.env());
    env.putAll(extraEnv);
    env.put("LOGPIPE_HTTP_PORT", "0");
    env.put("LOGPIPE_HTTP_HOST", "127.0.0.1");
    env.put("LOGPIPE_SHUTDOWN_GRACE_SECONDS", "10");
    command = ConsumeCommand.fromEnvironment(config, env);
    thread = new Thread(command::run, "worker-" + config.pipeline().name());
    thread.start();
  }

  ConsumeCommand command() {
    return command;
  }

  HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + command.httpPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws InterruptedException {
    command.shutdown();
    thread.join(30_000);
  }
}
