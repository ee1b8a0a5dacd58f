package dev.logpipe.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.logpipe.devservices.DevServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /readyz} and the lag metrics tell the truth about outages: ClickHouse stopped or hung and
 * the Kafka broker stopped each turn readiness 503 within 5 s with the cause; lag in records and
 * seconds keeps growing while the partitions are paused; flow resumes within 2 s of ClickHouse
 * answering again. Kills and stops real services, so this class runs its own.
 */
class ReadinessAndLagIT {
  private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);
  private static DevServices services;

  @BeforeAll
  static void start() {
    services =
        DevServices.start(
            Path.of("target", "it-readiness-" + ProcessHandle.current().pid()).toAbsolutePath(),
            EnumSet.allOf(DevServices.Kind.class));
  }

  @AfterAll
  static void stop() {
    services.close();
  }

  @Test
  void clickHouseStoppedIsNamedWithinFiveSecondsLagGrowsWhilePausedAndFlowResumesWithinTwo()
      throws Exception {
    assumeFalse(services.clickhouse().isExternal(), "needs a ClickHouse this test may kill");
    TestPipeline pipeline = TestPipeline.create(services, "chstopped", false, null);
    try (RunningWorker worker = new RunningWorker(pipeline.config());
        LogGenerator generator = new LogGenerator(services.kafkaBootstrap(), pipeline.topic(), 0)) {
      generator.send(5_000);
      await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.storedRows() == 5_000);
      await().atMost(FIVE_SECONDS).until(() -> worker.get("/readyz").statusCode() == 200);

      // Idle pipeline: no store is running when ClickHouse goes away.
      services.clickhouse().kill();
      long downAt = System.nanoTime();
      try {
        await()
            .atMost(FIVE_SECONDS)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> worker.get("/readyz").statusCode() == 503);
        System.out.printf("readyz 503 %d ms after ClickHouse was killed%n", since(downAt));
        // The root cause, not a retry count: refused, or reset when the kill cut a pooled
        // keep-alive connection the probe was using.
        assertThat(worker.get("/readyz").body())
            .containsPattern("ClickHouse unreachable: .*Connection (refused|reset)");

        // While paused, lag is measured from the broker: all 10,000 new records, in every
        // partition, and the age of the oldest keeps growing.
        generator.send(10_000);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> scrape(worker).sum("logpipe_consumer_lag") == 10_000);
        Map<String, Double> perPartition =
            scrape(worker).byLabel("logpipe_partition_lag", "partition");
        assertThat(perPartition).hasSize(TestPipeline.PARTITIONS);
        assertThat(perPartition.values().stream().mapToDouble(Double::doubleValue).sum())
            .isEqualTo(10_000);
        double ageThen = scrape(worker).sum("logpipe_consumer_lag_seconds");
        // The outage lasts until the oldest waiting record is 13.5 s old: by then the store has
        // failed 6 times and its backoff is 10-13 s, which the worker must not wait out.
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> scrape(worker).sum("logpipe_consumer_lag_seconds") >= 13.5);
        assertThat(scrape(worker).sum("logpipe_consumer_lag_seconds")).isGreaterThan(ageThen + 5);
        assertThat(scrape(worker).byLabel("logpipe_partition_lag_seconds", "partition"))
            .hasSize(TestPipeline.PARTITIONS);
        assertThat(pipeline.endOffsets().values().stream().mapToLong(Long::longValue).sum())
            .isEqualTo(15_000);
      } finally {
        if (!services.clickhouse().isRunning()) {
          services.clickhouse().start(); // also when an assertion above failed
        }
      }
      long upAt = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(2))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> pipeline.storedRows() > 5_000);
      System.out.printf("first rows stored %d ms after ClickHouse answered%n", since(upAt));

      await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.storedRows() >= 15_000);
      assertThat(pipeline.storedRows()).isEqualTo(15_000);
      assertThat(pipeline.duplicatePositions()).isZero();
      await().atMost(FIVE_SECONDS).until(() -> worker.get("/readyz").statusCode() == 200);
      await()
          .atMost(FIVE_SECONDS)
          .until(
              () ->
                  scrape(worker).sum("logpipe_consumer_lag") == 0
                      && scrape(worker).sum("logpipe_consumer_lag_seconds") == 0);
    }
  }

  @Test
  void aHungClickHouseIsNamedWithinFiveSecondsAndNothingIsLost() throws Exception {
    assumeFalse(services.clickhouse().isExternal(), "needs a ClickHouse this test may freeze");
    TestPipeline pipeline = TestPipeline.create(services, "chhung", false, null);
    try (RunningWorker worker = new RunningWorker(pipeline.config());
        LogGenerator generator = new LogGenerator(services.kafkaBootstrap(), pipeline.topic(), 0)) {
      generator.send(5_000);
      await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.storedRows() == 5_000);
      await().atMost(FIVE_SECONDS).until(() -> worker.get("/readyz").statusCode() == 200);

      long pid = services.clickhouse().pid();
      signal("STOP", pid); // accepts connections (kernel backlog), answers nothing
      long hungAt = System.nanoTime();
      try {
        generator.send(5_000); // a batch goes in flight against the frozen server
        await()
            .atMost(FIVE_SECONDS)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> worker.get("/readyz").statusCode() == 503);
        System.out.printf("readyz 503 %d ms after ClickHouse froze%n", since(hungAt));
        assertThat(worker.get("/readyz").body()).containsAnyOf("did not answer", "storing for");
        await()
            .atMost(FIVE_SECONDS)
            .until(() -> scrape(worker).sum("logpipe_consumer_lag") == 5_000);
      } finally {
        signal("CONT", pid);
      }
      await().atMost(Duration.ofSeconds(90)).until(() -> pipeline.storedRows() >= 10_000);
      assertThat(pipeline.storedRows()).isEqualTo(10_000);
      assertThat(pipeline.duplicatePositions()).isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> worker.get("/readyz").statusCode() == 200);
    }
  }

  @Test
  void aStoppedKafkaBrokerIsNamedWithinFiveSeconds() throws Exception {
    // Its own SCRAM user: the broker's restart also re-checks the login (credentials and ACLs
    // live in the KRaft metadata, which the restart must keep).
    TestPipeline pipeline =
        TestPipeline.create(services, "kafkastopped", false, null).authenticated();
    try (RunningWorker worker = new RunningWorker(pipeline)) {
      try (LogGenerator generator =
          new LogGenerator(services.kafkaBootstrap(), pipeline.topic(), 0)) {
        generator.send(2_000);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.storedRows() == 2_000);
      await().atMost(FIVE_SECONDS).until(() -> worker.get("/readyz").statusCode() == 200);

      services.kafka().kill();
      long downAt = System.nanoTime();
      try {
        await()
            .atMost(FIVE_SECONDS)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> worker.get("/readyz").statusCode() == 503);
        System.out.printf("readyz 503 %d ms after the Kafka broker was killed%n", since(downAt));
        assertThat(worker.get("/readyz").body()).contains("Kafka unreachable: Connection refused");
      } finally {
        services.kafka().start();
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> worker.get("/readyz").statusCode() == 200);
      try (LogGenerator generator =
          new LogGenerator(services.kafkaBootstrap(), pipeline.topic(), 0)) {
        generator.send(2_000);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.storedRows() >= 4_000);
      assertThat(pipeline.storedRows()).isEqualTo(4_000);
      assertThat(pipeline.duplicatePositions()).isZero();
    }
  }

  private static Scrape scrape(RunningWorker worker) throws Exception {
    return new Scrape(worker.get("/metrics").body());
  }

  private static long since(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  /** kill -STOP / -CONT: freezes a process without closing its sockets. */
  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start();
    assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
  }
}
