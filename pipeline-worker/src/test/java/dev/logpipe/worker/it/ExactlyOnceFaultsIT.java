package dev.logpipe.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.clickhouse.client.api.Client;
import dev.logpipe.devservices.DevServices;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.config.PipelineConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exactly-once fault matrix: faults combined the way production combines them (a backend dies
 * or stalls in the middle of a multi-day insert, then the worker dies, is stopped or loses
 * partitions; a topic is recreated), with worker child processes and exact counts afterwards:
 * {@code count()} equals {@code uniqExact(_partition, _offset)} equals the records Kafka accepted,
 * and every partition is stored from offset 0 without a gap. Kills and pauses are timed on the
 * ClickHouse parts appearing on disk, so each lands in the middle of an insert. The workers run as
 * with the backend's Kafka authentication on: each pipeline's own SCRAM user on the SASL listener,
 * with only its worker KafkaUser's ACLs ({@link TestPipeline#authenticated()}).
 */
class ExactlyOnceFaultsIT {
  private static final int DAYS = 60;
  private static final int FIRST = 30_000;
  private static final int MORE = 6_000;
  private static DevServices services;

  @BeforeAll
  static void start() {
    services =
        DevServices.start(
            Path.of("target", "it-exactly-once-" + ProcessHandle.current().pid()).toAbsolutePath(),
            EnumSet.allOf(DevServices.Kind.class));
  }

  @AfterAll
  static void stop() {
    services.close();
  }

  @BeforeEach
  void needsALocalClickHouse() {
    assumeFalse(services.clickhouse().isExternal(), "needs a ClickHouse this test may kill");
  }

  /** The case that stored 1,858 positions twice before the ledger. */
  @Test
  void clickHouseKilledMidInsertOfAMultiDayBatchThenTheWorkerKilled() throws Exception {
    TestPipeline pipeline = pipeline("multiday", 3);
    try (LogGenerator generator = generator(pipeline)) {
      generator.send(FIRST);
      WorkerProcess first = worker(pipeline, "multiday-1", Map.of());
      awaitPartsLanding(pipeline);
      services.clickhouse().kill();
      first.process().kill();
      generator.send(MORE);
      services.clickhouse().start();
      long landed = pipeline.storedRows();
      assertThat(landed)
          .as("the kill landed in the middle of the insert")
          .isBetween(1L, FIRST - 1L);
      WorkerProcess second = worker(restartedWithSmallerBatches(pipeline), "multiday-2", Map.of());
      try {
        assertExactlyOnce(pipeline, FIRST + MORE);
        assertThat(log(second)).contains("event=ledger_replay");
        assertThat(log(second))
            .as("logged in as the pipeline's own user on the SASL listener")
            .contains("kafkaLogin=SASL_PLAINTEXT/SCRAM-SHA-512/" + pipeline.topic() + ".worker");
      } finally {
        second.process().kill();
      }
    }
  }

  /**
   * ClickHouse stalls in the middle of an insert; the worker gives up on it (client timeout) and is
   * restarted, and only then does ClickHouse go on with the old insert (here its remaining parts
   * are cut by {@code max_execution_time}; without that setting they would land late: either way
   * the new worker's identical re-insert with the same token leaves each position once).
   */
  @Test
  void anInsertStalledPastItsTimeoutThenTheWorkerRestarted() throws Exception {
    TestPipeline pipeline = pipeline("latelanding", 3);
    Map<String, String> env = Map.of("LOGPIPE_INSERT_TIMEOUT_SECONDS", "15");
    try (LogGenerator generator = generator(pipeline)) {
      generator.send(FIRST);
      WorkerProcess first = worker(pipeline, "late-1", env);
      awaitPartsLanding(pipeline);
      services.clickhouse().pause();
      WorkerProcess second = null;
      try {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> log(first).contains("event=store_failed"));
        first.process().kill();
        generator.send(MORE);
        WorkerProcess restarted = worker(restartedWithSmallerBatches(pipeline), "late-2", env);
        second = restarted;
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> log(restarted).contains("event=partitions_assigned"));
      } finally {
        services.clickhouse().resume();
      }
      try {
        assertExactlyOnce(pipeline, FIRST + MORE);
      } finally {
        second.process().kill();
      }
    }
  }

  /**
   * ClickHouse stalls in the middle of an insert and its worker dies meanwhile (the insert is
   * abandoned by its client, within {@code max_execution_time}); a new worker starts, and only then
   * does ClickHouse finish the old insert: its remaining parts land late. The new worker re-inserts
   * the recorded batch with the same token, so each position stays stored once whichever of the two
   * lands second.
   */
  @Test
  void anAbandonedInsertLandsAfterTheNextWorkerStarted() throws Exception {
    TestPipeline pipeline = pipeline("abandoned", 3);
    try (LogGenerator generator = generator(pipeline)) {
      generator.send(FIRST);
      WorkerProcess first = worker(pipeline, "abandoned-1", Map.of());
      awaitPartsLanding(pipeline);
      services.clickhouse().pause();
      WorkerProcess second = null;
      try {
        first.process().kill();
        generator.send(MORE);
        WorkerProcess restarted =
            worker(restartedWithSmallerBatches(pipeline), "abandoned-2", Map.of());
        second = restarted;
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> log(restarted).contains("event=partitions_assigned"));
      } finally {
        services.clickhouse().resume();
      }
      try {
        assertExactlyOnce(pipeline, FIRST + MORE);
        assertThat(log(second)).contains("event=ledger_replay");
        assertThat(log(second))
            .as("logged in as the pipeline's own user on the SASL listener")
            .contains("kafkaLogin=SASL_PLAINTEXT/SCRAM-SHA-512/" + pipeline.topic() + ".worker");
      } finally {
        second.process().kill();
      }
    }
  }

  /** Strimzi deletes and recreates the topic: the new topic's offsets start at 0 again. */
  @Test
  void aTopicDeletedAndRecreatedLosesNoneOfTheNewRecords() throws Exception {
    TestPipeline pipeline = pipeline("recreated", 3);
    try (LogGenerator generator = new LogGenerator(services.kafkaBootstrap(), pipeline.topic(), 0);
        Admin admin = Admin.create(Map.of("bootstrap.servers", services.kafkaBootstrap()))) {
      WorkerProcess worker = worker(pipeline, "recreated", Map.of());
      try {
        generator.send(2_000);
        await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.storedRows() == 2_000);
        admin.deleteTopics(List.of(pipeline.topic())).all().get(30, TimeUnit.SECONDS);
        await()
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptions()
            .until(
                () -> {
                  admin
                      .createTopics(List.of(new NewTopic(pipeline.topic(), 3, (short) 1)))
                      .all()
                      .get(30, TimeUnit.SECONDS);
                  return true;
                });
        generator.send(3_000); // trace ids t2000..t4999
        // The worker has noticed the new topic id (on assignment, offsets going back, or its
        // periodic check) before the counts are taken: a late notice must not store twice.
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> log(worker).contains("event=topic_recreated") || logHasSkipped(worker));
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> secondTopicRows(pipeline) >= 3_000 || logHasSkipped(worker));
        assertThat(secondTopicRows(pipeline)).as("rows of the recreated topic").isEqualTo(3_000);
        assertThat(pipeline.storedRows()).isEqualTo(5_000);
        assertThat(pipeline.scalar("SELECT uniqExact(trace_id) FROM logs_it.recreated"))
            .isEqualTo(5_000);
        assertThat(log(worker)).contains("event=topic_recreated");
        assertThat(new Scrape(worker.get("/metrics").body()).sum("logpipe_topic_recreated_total"))
            .isPositive();
      } finally {
        worker.process().kill();
      }
    }
  }

  /**
   * A second worker joins while the first one's insert hangs: the revoke cannot wait for it, the
   * insert lands after ClickHouse resumes, and its late outcome must not commit or retry what
   * moved.
   */
  @Test
  void aRebalanceWhileAnInsertHangs() throws Exception {
    TestPipeline pipeline = pipeline("rebalancehang", 6);
    try (LogGenerator generator = generator(pipeline)) {
      generator.send(FIRST);
      WorkerProcess a = worker(pipeline, "hang-a", Map.of());
      WorkerProcess b = null;
      try {
        awaitPartsLanding(pipeline);
        services.clickhouse().pause();
        try {
          WorkerProcess joining = worker(restartedWithSmallerBatches(pipeline), "hang-b", Map.of());
          b = joining;
          await()
              .atMost(Duration.ofSeconds(90))
              .until(
                  () ->
                      log(a).contains("event=partitions_revoked")
                          && log(joining).contains("event=partitions_assigned"));
        } finally {
          services.clickhouse().resume();
        }
        generator.send(MORE);
        assertExactlyOnce(pipeline, FIRST + MORE);
        assertThat(log(a)).doesNotContain("event=commit_failed");
        assertThat(log(b)).doesNotContain("event=commit_failed");
      } finally {
        a.process().kill();
        if (b != null) {
          b.process().kill();
        }
      }
    }
  }

  /** SIGTERM while an insert hangs: the worker exits within its grace period, nothing is lost. */
  @Test
  void sigtermDuringAStore() throws Exception {
    TestPipeline pipeline = pipeline("sigtermstore", 3);
    try (LogGenerator generator = generator(pipeline)) {
      generator.send(FIRST);
      WorkerProcess first =
          worker(pipeline, "term-1", Map.of("LOGPIPE_SHUTDOWN_GRACE_SECONDS", "5"));
      awaitPartsLanding(pipeline);
      services.clickhouse().pause();
      OptionalInt exit;
      try {
        first.process().terminate();
        exit = first.process().awaitExit(Duration.ofSeconds(20));
      } finally {
        services.clickhouse().resume();
      }
      assertThat(exit).as("exit within the grace period; log:%n%s", log(first)).isPresent();
      assertThat(log(first)).contains("event=worker_stopped");
      generator.send(MORE);
      WorkerProcess second = worker(restartedWithSmallerBatches(pipeline), "term-2", Map.of());
      try {
        assertExactlyOnce(pipeline, FIRST + MORE);
      } finally {
        second.process().kill();
      }
    }
  }

  private static TestPipeline pipeline(String name, int partitions) throws Exception {
    // One batch holds everything produced at first: a single insert of one part per day.
    return TestPipeline.create(services, name, false, null, partitions)
        .withBatch(new PipelineConfig.Batch(100_000, 256L << 20, 1_500))
        .authenticated();
  }

  /**
   * The worker that comes next cuts other batches (a config change rolled it, or it simply polled
   * differently): without the ledger its tokens would differ from the ones that partly landed.
   */
  private static TestPipeline restartedWithSmallerBatches(TestPipeline pipeline) {
    return pipeline.withBatch(new PipelineConfig.Batch(2_500, 256L << 20, 500));
  }

  private static LogGenerator generator(TestPipeline pipeline) {
    return new LogGenerator(services.kafkaBootstrap(), pipeline.topic(), 0).spreadOverDays(DAYS);
  }

  private static WorkerProcess worker(TestPipeline pipeline, String name, Map<String, String> env)
      throws Exception {
    Path workerDir =
        Files.createDirectories(
            Path.of("target", "it-" + name + "-" + ProcessHandle.current().pid()).toAbsolutePath());
    Path configFile =
        Files.writeString(
            workerDir.resolve("pipeline.json"), PipelineConfigLoader.toJson(pipeline.config()));
    Map<String, String> withLogin = new HashMap<>(pipeline.workerEnv());
    withLogin.putAll(env);
    return WorkerProcess.consume(configFile, workerDir, withLogin);
  }

  private static String log(WorkerProcess worker) throws Exception {
    return Files.readString(worker.process().logFile());
  }

  private static boolean logHasSkipped(WorkerProcess worker) throws Exception {
    return log(worker).contains("event=skip_stored");
  }

  private static long secondTopicRows(TestPipeline pipeline) {
    return pipeline.scalar(
        "SELECT count() FROM logs_it.`"
            + pipeline.name()
            + "` WHERE toUInt64(substring(trace_id, 2)) >= 2000");
  }

  /**
   * Waits until the insert under way has written a few of its day-parts to disk (and not all): the
   * moment to kill or pause ClickHouse.
   */
  private static void awaitPartsLanding(TestPipeline pipeline) throws Exception {
    Path data;
    try (Client client = TestPipeline.clickHouse(services)) {
      String path =
          client
              .queryAll(
                  "SELECT arrayJoin(data_paths) FROM system.tables WHERE database = 'logs_it'"
                      + " AND name = '"
                      + pipeline.name()
                      + "'")
              .get(0)
              .getString(1);
      Path p = Path.of(path);
      data =
          p.isAbsolute()
              ? p
              : services.clickhouse().logFile().getParent().resolve("data").resolve(p);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (landedParts(data) < 3) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no part of the insert landed within 60 s in " + data);
      }
      Thread.sleep(1);
    }
  }

  private static long landedParts(Path data) throws Exception {
    if (!Files.isDirectory(data)) {
      return 0;
    }
    try (Stream<Path> parts = Files.list(data)) {
      return parts
          .filter(p -> p.getFileName().toString().matches("\\d{8}_\\d+_\\d+_\\d+.*"))
          .count();
    }
  }

  /** Waits for {@code total} rows, then checks each position is stored exactly once. */
  private static void assertExactlyOnce(TestPipeline pipeline, long total) throws Exception {
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> pipeline.storedRows() >= total && pipeline.everythingCommitted());
    String table = "logs_it.`" + pipeline.name() + "`";
    assertThat(pipeline.storedRows()).as("count()").isEqualTo(total);
    assertThat(pipeline.scalar("SELECT uniqExact(_partition, _offset) FROM " + table))
        .as("distinct positions")
        .isEqualTo(total);
    assertThat(pipeline.duplicatePositions()).isZero();
    Map<Integer, Long> ends = pipeline.endOffsets();
    Map<Integer, long[]> stored = pipeline.storedPerPartition();
    ends.forEach(
        (partition, end) -> {
          long[] countAndEnd = stored.getOrDefault(partition, new long[] {0, 0});
          assertThat(countAndEnd[0]).as("rows of partition %d", partition).isEqualTo(end);
          assertThat(countAndEnd[1]).as("one past the last offset of %d", partition).isEqualTo(end);
        });
  }
}
