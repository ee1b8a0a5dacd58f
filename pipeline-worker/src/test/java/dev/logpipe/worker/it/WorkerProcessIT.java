package dev.logpipe.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.config.PipelineConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code pipeline-worker consume} as a child process: SIGTERM and a config it must refuse. */
@WithDevServices
class WorkerProcessIT {
  private static final int GRACE_SECONDS = 10;

  @Test
  void sigtermStoresAndCommitsEverythingConsumedAndExitsZeroWithinTheGracePeriod(
      DevServices services) throws Exception {
    TestPipeline pipeline = TestPipeline.create(services, "sigterm", false, null);
    // The child's batches are cut only by SIGTERM: nothing is stored before it, so what is stored
    // after it is the shutdown flush.
    TestPipeline uncut =
        pipeline.withBatch(new PipelineConfig.Batch(1_000_000, 256L << 20, 600_000));
    Path dir = directory("sigterm");
    Path configFile =
        Files.writeString(
            dir.resolve("pipeline.json"), PipelineConfigLoader.toJson(uncut.config()));
    // The config file comes from the environment variable this time (FaultToleranceIT uses
    // --config).
    WorkerProcess worker =
        WorkerProcess.start(
            List.of("consume"),
            dir,
            Map.of(
                PipelineConfigLoader.CONFIG_ENV,
                configFile.toString(),
                "LOGPIPE_SHUTDOWN_GRACE_SECONDS",
                String.valueOf(GRACE_SECONDS)),
            true);
    int total = 40_000;
    try (LogGenerator generator =
        new LogGenerator(services.kafkaBootstrap(), pipeline.topic(), 0)) {
      generator.send(20_000);
      await().atMost(Duration.ofSeconds(30)).until(() -> consumed(worker) == 20_000);
      assertThat(pipeline.storedRows()).isZero();

      // More events keep arriving while the worker is told to stop.
      CompletableFuture<Void> producing =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < 40; i++) {
                    generator.send(500);
                    Thread.sleep(50);
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      await().atMost(Duration.ofSeconds(30)).until(() -> consumed(worker) > 22_000);
      long signalledAt = System.nanoTime();
      worker.process().terminate();
      OptionalInt exit = worker.process().awaitExit(Duration.ofSeconds(GRACE_SECONDS));
      long tookMs = (System.nanoTime() - signalledAt) / 1_000_000;
      assertThat(exit)
          .as("exit within %d s; log:%n%s", GRACE_SECONDS, worker.process().tail())
          .isPresent();
      assertThat(exit.getAsInt()).as("exit code; log:%n%s", worker.process().tail()).isZero();
      producing.get();
      assertThat(Files.readString(worker.process().logFile()))
          .contains("event=worker_stopped")
          .doesNotContain("event=shutdown_unflushed");

      // Everything it consumed is stored, every partition from offset 0 without a gap, and the
      // committed offset is exactly one past the last stored offset.
      long stored = pipeline.storedRows();
      assertThat(stored).isGreaterThan(22_000).isLessThan(total);
      Map<Integer, long[]> perPartition = pipeline.storedPerPartition();
      Map<Integer, Long> committed = pipeline.committedOffsets();
      assertThat(perPartition).hasSize(TestPipeline.PARTITIONS);
      perPartition.forEach(
          (partition, countAndEnd) -> {
            assertThat(countAndEnd[0])
                .as("rows of partition %d", partition)
                .isEqualTo(countAndEnd[1]);
            assertThat(committed.get(partition))
                .as("committed offset of partition %d", partition)
                .isEqualTo(countAndEnd[1]);
          });
      System.out.println("SIGTERM: exited 0 after " + tookMs + " ms, " + stored + " rows stored");

      // A restarted worker (usual batch limits) starts at the committed offsets: it reads only
      // what is new.
      try (RunningWorker restarted = new RunningWorker(pipeline.config())) {
        await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.storedRows() >= total);
        assertThat(pipeline.storedRows()).isEqualTo(total);
        assertThat(pipeline.duplicatePositions()).isZero();
        assertThat(
                new Scrape(restarted.get("/metrics").body()).sum("logpipe_records_consumed_total"))
            .isEqualTo(total - stored);
      }
    } finally {
      worker.process().kill();
    }
  }

  @Test
  void aHostileTableNameIsRefusedWithExitCodeTwoAndAMessageNamingTheField(DevServices services)
      throws Exception {
    TestPipeline pipeline = TestPipeline.create(services, "refused", false, null);
    Path dir = directory("refused");
    String json =
        PipelineConfigLoader.toJson(pipeline.config())
            .replace("\"table\" : \"refused\"", "\"table\" : \"x; DROP TABLE y\"");
    assertThat(json).contains("x; DROP TABLE y");
    Path configFile = Files.writeString(dir.resolve("pipeline.json"), json);
    WorkerProcess worker =
        WorkerProcess.start(
            List.of("consume", "--config", configFile.toString()), dir, Map.of(), false);
    OptionalInt exit = worker.process().awaitExit(Duration.ofSeconds(30));
    assertThat(exit).isPresent();
    assertThat(exit.getAsInt()).isEqualTo(2);
    String log = Files.readString(worker.process().logFile());
    assertThat(log)
        .contains("clickhouse.table: 'x; DROP TABLE y' is not a valid identifier")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  private static long consumed(WorkerProcess worker) throws Exception {
    return (long) new Scrape(worker.get("/metrics").body()).sum("logpipe_records_consumed_total");
  }

  private static Path directory(String name) throws Exception {
    return Files.createDirectories(
        Path.of("target", "it-" + name + "-" + ProcessHandle.current().pid()).toAbsolutePath());
  }
}
