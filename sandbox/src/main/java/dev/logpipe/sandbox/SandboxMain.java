package dev.logpipe.sandbox;

import dev.logpipe.sandbox.generator.GeneratorSettings;
import dev.logpipe.sandbox.generator.KafkaLogSink;
import dev.logpipe.sandbox.generator.LogGenerator;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * README quick-start command 1 ({@code bin/sandbox}): the whole pipeline on one machine, progress a
 * person can follow, then how to look at it. Ctrl-C stops everything. With {@code --duration} it
 * exits after that long: 0 if the pipeline became Ready and stored rows, 1 otherwise (CI).
 */
public final class SandboxMain {
  static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

  private SandboxMain() {}

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(System.getProperty("logpipe.repo.root", ".")).toAbsolutePath().normalize();
    if (java.util.List.of(args).contains("--help") || java.util.List.of(args).contains("-h")) {
      System.out.println(SandboxOptions.USAGE);
      return;
    }
    SandboxOptions options;
    try {
      options = SandboxOptions.parse(args, repo);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + SandboxOptions.USAGE);
      System.exit(2);
      return;
    }
    Files.createDirectories(options.dir());
    // Before the first logger: component logs go to a file, the console is for the person.
    System.setProperty(
        "org.slf4j.simpleLogger.logFile", options.dir().resolve("sandbox.log").toString());
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.io.fabric8", "warn");
    long startedMs = startedMs();
    PrintStream out = System.out;
    Progress progress = new Progress(out, startedMs);
    Sandbox sandbox = new Sandbox(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              out.println("\nstopping everything...");
              sandbox.close();
              stopped.countDown();
            },
            "sandbox-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    int exit = run(sandbox, options, progress, out);
    if (options.duration() != null) {
      Runtime.getRuntime().removeShutdownHook(hook);
      sandbox.close();
      out.println(exit == 0 ? "sandbox: smoke run passed" : "sandbox: smoke run FAILED");
      System.exit(exit);
    }
    stopped.await();
  }

  private static int run(
      Sandbox sandbox, SandboxOptions options, Progress progress, PrintStream out)
      throws Exception {
    out.println(
        "logpipe sandbox in " + options.dir() + " (logs: sandbox.log, pods/*/*/worker.log)");
    try {
      sandbox.start(progress::step);
    } catch (RuntimeException e) {
      out.println("sandbox: failed to start: " + e.getMessage());
      return 1;
    }
    PipelineWatch pipeline = new PipelineWatch(sandbox.client(), "team-payments", "payments");
    Duration wait = READY_TIMEOUT;
    if (options.duration() != null) {
      long left = progress.startedMs() + options.duration().toMillis() - System.currentTimeMillis();
      wait = Duration.ofMillis(Math.max(0, Math.min(wait.toMillis(), left)));
    }
    boolean ready = progress.awaitReady(pipeline, wait);
    if (!ready) {
      out.println(
          "sandbox: the pipeline did not become Ready within "
              + wait.toSeconds()
              + " s; see "
              + options.dir().resolve("sandbox.log"));
      if (options.duration() != null) {
        return 1;
      }
    }
    LogGenerator generator = null;
    Object topic = pipeline.status("topic.name");
    if (options.rate() > 0 && topic != null) {
      generator =
          new LogGenerator(
                  new KafkaLogSink(sandbox.services().kafkaBootstrap(), topic.toString()),
                  GeneratorSettings.defaults().withRate(options.rate()),
                  Clock.systemUTC())
              .start();
      progress.step(
          "log generator: "
              + options.rate()
              + " lines/s into Kafka topic "
              + topic
              + ", an error burst every 45 s, 1 in 500 lines broken");
    }
    HowToLook.print(out, sandbox, pipeline, options);
    long end =
        options.duration() == null
            ? Long.MAX_VALUE
            : progress.startedMs() + options.duration().toMillis();
    ClickHouseStats.Stats stats = progress.report(sandbox, pipeline, generator, end);
    if (generator != null) {
      generator.close();
    }
    return ready && stats.rows() > 0 ? 0 : 1;
  }

  /** bin/sandbox exports when the command started, so build time counts too. */
  private static long startedMs() {
    String env = System.getenv("LOGPIPE_SANDBOX_STARTED_MS");
    if (env != null && env.matches("\\d+")) {
      return Long.parseLong(env);
    }
    return ManagementFactory.getRuntimeMXBean().getStartTime();
  }
}
