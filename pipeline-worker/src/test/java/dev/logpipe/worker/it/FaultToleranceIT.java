package dev.logpipe.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.process.ChildProcess;
import dev.logpipe.worker.config.PipelineConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Backends failing under the worker: each test kills or stops something real, so this class runs
 * its own dev services instead of the shared ones.
 */
class FaultToleranceIT {
  private static DevServices services;

  @BeforeAll
  static void start() {
    services =
        DevServices.start(
            Path.of("target", "it-faults-" + ProcessHandle.current().pid()).toAbsolutePath(),
            EnumSet.allOf(DevServices.Kind.class));
  }

  @AfterAll
  static void stop() {
    services.close();
  }

  @Test
  void clickHouseDownForTwentySecondsLosesNothingAndFlowResumes() throws Exception {
    assumeFalse(services.clickhouse().isExternal(), "needs a ClickHouse this test may kill");
    TestPipeline pipeline = TestPipeline.create(services, "chdown", false, null);
    try (RunningWorker worker = new RunningWorker(pipeline.config());
        LogGenerator generator = new LogGenerator(services.kafkaBootstrap(), pipeline.topic(), 0)) {
      generator.send(20_000);
      await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.storedRows() == 20_000);

      services.clickhouse().kill();
      long downAt = System.nanoTime();
      generator.send(20_000);
      await().atMost(Duration.ofSeconds(30)).until(() -> worker.get("/readyz").statusCode() == 503);
      // The root cause, whichever the worker met first: its probe's refused connection, or the
      // insert in flight when the server died (a broken pipe or reset), never "attempt N".
      assertThat(worker.get("/readyz").body())
          .containsPattern("Connection refused|Broken pipe|Connection reset")
          .doesNotContain("attempt");
      long remaining = 20_000 - (System.nanoTime() - downAt) / 1_000_000;
      if (remaining > 0) {
        Thread.sleep(remaining); // the outage itself: ClickHouse stays down for 20 s
      }
      services.clickhouse().start();

      await().atMost(Duration.ofSeconds(90)).until(() -> pipeline.storedRows() >= 40_000);
      assertThat(pipeline.storedRows()).isEqualTo(40_000);
      assertThat(pipeline.duplicatePositions()).isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> worker.get("/readyz").statusCode() == 200);
      assertThat(worker.get("/metrics").body())
          .containsPattern("logpipe_insert_failures_total\\{[^}]*\\} [1-9]");
    }
  }

  @Test
  void redisDownDoesNotStopDeliveryToClickHouse() throws Exception {
    TestPipeline pipeline = TestPipeline.create(services, "redisdown", true, null);
    try (RunningWorker worker = new RunningWorker(pipeline.config());
        LogGenerator generator = new LogGenerator(services.kafkaBootstrap(), pipeline.topic(), 0)) {
      services.redis().stop();
      try {
        generator.send(30_000);
        await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.storedRows() == 30_000);
        assertThat(pipeline.duplicatePositions()).isZero();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> worker.command().metrics().redisErrorsTotal() > 0);
        assertThat(worker.get("/readyz").statusCode()).isEqualTo(200);
      } finally {
        services.redis().start();
      }
    }
  }

  @Test
  void workerKilledFiveTimesStoresEveryPositionExactlyOnce() throws Exception {
    TestPipeline pipeline =
        TestPipeline.create(
                services,
                "crash",
                false,
                Map.of("group.instance.id", "crash-worker", "session.timeout.ms", "10000"))
            .authenticated(); // as with the backend's Kafka authentication on: its own SCRAM user
    Path dir =
        Files.createDirectories(
            Path.of("target", "it-crash-" + ProcessHandle.current().pid()).toAbsolutePath());
    Path configFile = dir.resolve("pipeline.json");
    Files.writeString(configFile, PipelineConfigLoader.toJson(pipeline.config()));
    int total = 500_000;
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<Long> killedAtStored = new ArrayList<>();
    try (LogGenerator generator =
        new LogGenerator(services.kafkaBootstrap(), pipeline.topic(), 0)) {
      CompletableFuture<Void> producing = generator.sendPaced(total, 100, Duration.ofMillis(250));
      ChildProcess worker = startWorker(configFile, dir, pipeline);
      for (int kill = 0; kill < 5; kill++) {
        Thread.sleep(1_000 + random.nextInt(2_000));
        killedAtStored.add(pipeline.storedRows());
        worker.kill();
        worker = startWorker(configFile, dir, pipeline);
      }
      producing.get();
      ChildProcess last = worker;
      try {
        await().atMost(Duration.ofSeconds(180)).until(() -> pipeline.storedRows() >= total);
        assertThat(pipeline.storedRows()).isEqualTo(total);
        assertThat(pipeline.duplicatePositions()).isZero();
        assertThat(pipeline.scalar("SELECT uniqExact(_partition, _offset) FROM logs_it.crash"))
            .isEqualTo(total);
        assertThat(pipeline.scalar("SELECT uniqExact(trace_id) FROM logs_it.crash"))
            .isEqualTo(total);
      } finally {
        last.stop(Duration.ofSeconds(20));
      }
      System.out.println(
          "seed " + seed + ", stored rows when each kill happened: " + killedAtStored);
    }
    // Every kill landed while events were still flowing.
    assertThat(killedAtStored).hasSize(5).allMatch(stored -> stored < total);
  }

  private static ChildProcess startWorker(Path configFile, Path dir, TestPipeline pipeline) {
    return WorkerProcess.consume(configFile, dir, pipeline.workerEnv()).process();
  }
}
