package dev.logpipe.operator.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.worker.config.Credentials;
import dev.logpipe.worker.sink.ClickHouseClients;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Adversarial review of the autoscaler's ClickHouse ping (breaker4): URL spellings the CRD accepts,
 * a hung (SIGSTOPped) ClickHouse during a burst, and what that does to a measuring round and to the
 * reconcile threads. Real Kafka and real chDB; the lag is a real consumer group's.
 */
@WithDevServices({DevServices.Kind.KAFKA, DevServices.Kind.CLICKHOUSE})
class ClickHousePingAttackIT {
  private static final int PARTITIONS = 6;
  private static final ScalePolicy POLICY =
      new ScalePolicy(1, 6, null, 1_000L, Duration.ZERO, Duration.ofSeconds(60));
  private static DevServices services;
  private static Admin admin;
  private static int topics;

  @BeforeAll
  static void start(DevServices devServices) {
    services = devServices;
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrap());
    admin = Admin.create(props);
  }

  @AfterAll
  static void stop() {
    admin.close();
  }

  /**
   * StorageReady is decided by the project's ClickHouse client (ClickHouseClients); the ping must
   * agree with it on every URL the CRD pattern {@code ^https?://[^\s/]+(/.*)?$} lets through, or a
   * healthy ClickHouse is held for good (or a dead one is not).
   */
  @Test
  void pingAgreesWithTheClientStorageReadyUsesOnEveryUrlTheCrdAccepts() {
    String base = services.clickHouseUrl();
    var creds = new Credentials(services.clickhouse().user(), services.clickhouse().password());
    ClickHousePing ping = new ClickHousePing();
    Map<String, String> disagreements = new LinkedHashMap<>();
    for (String url :
        List.of(
            base,
            base + "/",
            base + "///",
            base + "/?database=default",
            base + "?database=default",
            base + "/clickhouse",
            base + "/clickhouse/",
            base.replace("http://", "http://someone:secret@"))) {
      boolean client;
      try (Client c = ClickHouseClients.probe(url, creds, Duration.ofSeconds(5))) {
        client = c.ping();
      } catch (RuntimeException e) {
        client = false;
      }
      boolean pinged = ping.test(url);
      if (client != pinged) {
        disagreements.put(url, "client ping=" + client + ", autoscaler ping=" + pinged);
      }
    }
    assertThat(disagreements)
        .as("URLs where the autoscaler's ping and StorageReady disagree")
        .isEmpty();
  }

  /**
   * A burst while ClickHouse is hung (SIGSTOP: it accepts TCP and never answers) must not scale up;
   * once it answers again the burst must scale up (the hold releases).
   */
  @Test
  void burstDuringHungClickHouseIsHeldAndReleasesAfterResume() throws Exception {
    String topic = burstTopic();
    Autoscaler autoscaler =
        new Autoscaler(null, new AutoscalerMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
    ResourceID id = new ResourceID("p0", "ns");
    autoscaler.track(id, target("p0", topic, services.clickHouseUrl()), true);
    services.clickhouse().pause();
    try {
      for (int i = 0; i < 3; i++) {
        autoscaler.measureAll();
        assertThat(autoscaler.view(id).orElseThrow().desired()).isEqualTo(1);
      }
      assertThat(autoscaler.view(id).orElseThrow().condition().toString()).contains("ScaleUpHeld");
    } finally {
      services.clickhouse().resume();
    }
    autoscaler.measureAll();
    assertThat(autoscaler.view(id).orElseThrow().desired()).isEqualTo(PARTITIONS);
    autoscaler.close();
  }

  /**
   * Ten pipelines whose backends are hung (here ten path prefixes of the SIGSTOPped server, which
   * the round tells apart as it would ten distinct backends): a round that pinged them one after
   * the other, 2 s each, took 20.4 s, and every other pipeline's decision waited. A round must fit
   * in its period (10 s), or 500 pipelines on 500 hung backends would stall the autoscaler for
   * about 1000 s.
   */
  @Test
  void hungBackendsDoNotStallAMeasuringRound() throws Exception {
    String topic = burstTopic();
    Autoscaler autoscaler =
        new Autoscaler(null, new AutoscalerMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
    for (int i = 0; i < 10; i++) {
      autoscaler.track(
          new ResourceID("p" + i, "ns"),
          target("p" + i, topic, services.clickHouseUrl() + "/backend" + i),
          true);
    }
    services.clickhouse().pause();
    long tookMillis;
    try {
      long started = System.nanoTime();
      autoscaler.measureAll();
      tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    } finally {
      services.clickhouse().resume();
      autoscaler.close();
    }
    assertThat(tookMillis)
        .as("one measuring round with 10 hung backends, ms")
        .isLessThan(Autoscaler.PERIOD.toMillis());
  }

  /**
   * The autoscaler's contract: reconcile threads never wait on the sampler's I/O. track() (called
   * by every reconcile) takes the state's lock, which measured() held across the ping when the ping
   * ran inside it: a reconcile of a pipeline whose ClickHouse was hung waited 1,991 ms.
   */
  @Test
  void reconcileDoesNotWaitOnThePing() throws Exception {
    String topic = burstTopic();
    Autoscaler autoscaler =
        new Autoscaler(null, new AutoscalerMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
    ResourceID id = new ResourceID("p0", "ns");
    AutoscaleTarget target = target("p0", topic, services.clickHouseUrl());
    autoscaler.track(id, target, true);
    services.clickhouse().pause();
    List<Long> trackMillis = new ArrayList<>();
    try {
      CompletableFuture<Void> round = CompletableFuture.runAsync(autoscaler::measureAll);
      while (!round.isDone()) {
        long started = System.nanoTime();
        autoscaler.track(id, target, true); // what a reconcile thread does
        trackMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        Thread.sleep(50); // sampling the reconcile latency, not waiting for a condition
      }
      round.get();
    } finally {
      services.clickhouse().resume();
      autoscaler.close();
    }
    assertThat(trackMillis.stream().mapToLong(Long::longValue).max().orElse(0))
        .as("longest track() (a reconcile) while the sampler pinged a hung ClickHouse, ms")
        .isLessThan(500);
  }

  /**
   * A busy but healthy ClickHouse: queries running on all of the dev server's HTTP threads (as
   * during a burst, when every worker inserts). It answers every query, so StorageReady stays True
   * and a scale-up is exactly what is needed; the ping must not hold it.
   */
  @Test
  void busyHealthyClickHouseIsNotHeld() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    List<CompletableFuture<java.net.http.HttpResponse<String>>> queries = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      queries.add(
          http.sendAsync(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(services.clickHouseUrl() + "/"))
                  .header("X-ClickHouse-User", services.clickhouse().user())
                  .header("X-ClickHouse-Key", services.clickhouse().password())
                  .POST(
                      java.net.http.HttpRequest.BodyPublishers.ofString(
                          "SELECT sleepEachRow(1) FROM numbers(3) FORMAT Null"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString()));
    }
    Thread.sleep(500); // let the queries reach the server first: the load is the precondition
    long started = System.nanoTime();
    boolean reachable = new ClickHousePing().test(services.clickHouseUrl());
    long pingMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    for (var q : queries) {
      assertThat(q.get(120, TimeUnit.SECONDS).statusCode())
          .as("the busy ClickHouse answered every query")
          .isEqualTo(200);
    }
    assertThat(reachable)
        .as(
            "ping of a busy, healthy ClickHouse (took %d ms, timeout %d ms)",
            pingMillis, ClickHousePing.TIMEOUT.toMillis())
        .isTrue();
  }

  private static AutoscaleTarget target(String name, String topic, String clickHouseUrl) {
    return new AutoscaleTarget(
        "ns",
        name,
        services.kafkaBootstrap(),
        topic,
        "group-" + topic,
        "worker-" + name,
        POLICY,
        1,
        clickHouseUrl);
  }

  /** A topic with 6000 records and its group committed at 0: lag asks for 6 workers. */
  private static String burstTopic() throws Exception {
    String topic = "ping-attack-" + (topics++) + "-" + System.nanoTime();
    admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrap());
    try (var producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < 6_000; i++) {
        producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, new byte[] {1}));
      }
      producer.flush();
    }
    Map<TopicPartition, OffsetAndMetadata> zero = new LinkedHashMap<>();
    for (int i = 0; i < PARTITIONS; i++) {
      zero.put(new TopicPartition(topic, i), new OffsetAndMetadata(0));
    }
    admin.alterConsumerGroupOffsets("group-" + topic, zero).all().get();
    return topic;
  }
}
