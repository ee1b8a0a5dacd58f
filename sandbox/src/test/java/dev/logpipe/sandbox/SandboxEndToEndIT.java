package dev.logpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.sandbox.api.Kubectl;
import dev.logpipe.sandbox.generator.GeneratorSettings;
import dev.logpipe.sandbox.generator.KafkaLogSink;
import dev.logpipe.sandbox.generator.LogGenerator;
import dev.logpipe.sandbox.pods.PodInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain as a user drives it: sandbox up, a LogPipeline applied with kubectl, Ready, 20k
 * generated events with a burst and broken lines, exact counts read through the gateway, the burst
 * found, broken lines in the dead-letter topic; a spec change with kubectl rolls the pods and a new
 * rule scores new events; delete with Retain keeps the table; everything stops.
 */
class SandboxEndToEndIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final PipelineNames NAMES = PipelineNames.of("team-payments", "payments", "logs_");

  @TempDir Path dir;

  @Test
  void pipelineLifecycleThroughKubectl() throws Exception {
    Kubectl.requireInstalled();
    SandboxOptions options = new SandboxOptions(REPO, dir, null, 0, 0, true, false);
    Set<Long> pids = new HashSet<>();
    try (Sandbox sandbox = new Sandbox(options).start(s -> System.out.println("sandbox: " + s))) {
      Kubectl kubectl = new Kubectl(sandbox.kubeconfig(), dir.resolve("kubectl-cache"));
      Path manifest = dir.resolve("payments.yaml");
      Files.writeString(manifest, pipelineYaml(""));
      assertThat(kubectl.run("apply", "-f", manifest.toString()).exitCode()).isZero();
      PipelineWatch pipeline = new PipelineWatch(sandbox.client(), "team-payments", "payments");
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(pipeline::ready);
      assertThat(
              kubectl
                  .run("wait", "--for=condition=Ready", "lp/payments", "--timeout=5s")
                  .exitCode())
          .isZero();
      pids.addAll(sandbox.childPids());

      // 20k events over the last 5 minutes, one 10 s burst of errors from "payments", 1 in 200
      // broken.
      LogGenerator.Counts sent;
      try (LogGenerator generator =
          new LogGenerator(
              new KafkaLogSink(sandbox.services().kafkaBootstrap(), NAMES.topic()),
              GeneratorSettings.defaults()
                  .withMalformedEvery(200)
                  .withBurst(Duration.ofSeconds(45), Duration.ofSeconds(10), 30),
              Clock.systemUTC())) {
        sent = generator.sendScenario(20_000, Duration.ofMinutes(5), Duration.ofSeconds(10));
      }
      assertThat(sent.valid() + sent.malformed()).isEqualTo(20_000);
      ClickHouseStats clickhouse = sandbox.clickHouseStats();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> clickhouse.of(NAMES.database(), NAMES.table()).rows() >= sent.valid());
      Gateway gateway = gateway(sandbox);
      assertThat(gateway.total()).as("stats total through the gateway").isEqualTo(sent.valid());
      ClickHouseStats.Stats stats = clickhouse.of(NAMES.database(), NAMES.table());
      assertThat(stats.rows()).isEqualTo(sent.valid());
      assertThat(stats.burstAnomalies()).as("events marked by the burst detector").isPositive();
      assertThat(
              clickhouse
                  .query(
                      "SELECT countIf(service != 'payments') FROM "
                          + table()
                          + " WHERE has(anomaly_reasons, 'error-burst')")
                  .strip())
          .as("only the bursting service is marked")
          .isEqualTo("0");
      assertThat(deadLetters(sandbox, Duration.ofSeconds(60), sent.malformed()))
          .isEqualTo(sent.malformed());

      // Spec change with kubectl: two workers and a new rule.
      Set<Long> before = workerPids(sandbox);
      Files.writeString(manifest, pipelineYaml(rule()));
      assertThat(kubectl.run("apply", "-f", manifest.toString()).exitCode()).isZero();
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                Set<Long> now = workerPids(sandbox);
                Object observed = pipeline.status("observedGeneration");
                return now.size() == 2
                    && now.stream().noneMatch(before::contains)
                    && sandbox.pods().pods().stream().allMatch(PodInfo::ready)
                    && observed != null
                    && ((Number) observed).longValue() == 2L
                    && pipeline.ready();
              });
      pids.addAll(sandbox.childPids());
      LogGenerator.Counts more;
      try (LogGenerator generator =
          new LogGenerator(
              new KafkaLogSink(sandbox.services().kafkaBootstrap(), NAMES.topic()),
              GeneratorSettings.defaults().withMalformedEvery(0),
              Clock.systemUTC())) {
        more = generator.sendScenario(1_000, Duration.ofSeconds(10), Duration.ofSeconds(1));
      }
      // Every event of both scenarios stored (exactly once), before counting what the new rule
      // marked: the row count read below must not move while the pipeline is deleted.
      long expected = sent.valid() + more.valid();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> clickhouse.of(NAMES.database(), NAMES.table()).rows() >= expected);
      assertThat(clickhouse.of(NAMES.database(), NAMES.table()).rows()).isEqualTo(expected);
      assertThat(
              Long.parseLong(
                  clickhouse
                      .query(
                          "SELECT countIf(has(anomaly_reasons, 'slow-request-sandbox')) FROM "
                              + table())
                      .strip()))
          .as("events marked by the rule added with kubectl apply")
          .isPositive();

      // Delete with Retain: workers go, the table stays queryable.
      Kubectl.Result deleted = kubectl.run("delete", "lp", "payments", "--timeout=60s");
      assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
      await().atMost(Duration.ofSeconds(60)).until(() -> sandbox.pods().pods().isEmpty());
      assertThat(clickhouse.of(NAMES.database(), NAMES.table()).rows()).isEqualTo(expected);
      assertThat(kubectl.run("get", "kafkatopics", "-n", "kafka").stdout()).contains(NAMES.topic());
    }
    assertThat(pids).isNotEmpty();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        pids.stream()
                            .filter(
                                p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))
                            .toList())
                    .as("processes left behind")
                    .isEmpty());
  }

  private static String table() {
    return "`" + NAMES.database() + "`.`" + NAMES.table() + "`";
  }

  private static String rule() {
    return """
          anomalies:
            rules:
            - name: slow-request-sandbox
              when:
                field: latency_ms
                gt: 100
              score: 5
        """;
  }

  private static String pipelineYaml(String extra) {
    return """
        apiVersion: logpipe.dev/v1alpha1
        kind: LogPipeline
        metadata:
          name: payments
          namespace: team-payments
        spec:
          backend: default
          format:
            type: json
            fields:
              timestamp: ts
              level: severity
              service: app
              message: msg
          gateway:
            enabled: true
          workers:
            replicas: %d
        %s"""
        .formatted(extra.isEmpty() ? 1 : 2, extra);
  }

  private static Set<Long> workerPids(Sandbox sandbox) {
    Set<Long> pids = new HashSet<>();
    sandbox.pods().pods().stream()
        .filter(p -> p.component().equals("worker"))
        .forEach(p -> pids.add(p.pid()));
    return pids;
  }

  private static long deadLetters(Sandbox sandbox, Duration timeout, long expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, sandbox.services().kafkaBootstrap());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-dlq");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    long count = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(NAMES.deadLetterTopic()));
      Instant end = Instant.now().plus(timeout);
      while (Instant.now().isBefore(end) && count < expected) {
        count += consumer.poll(Duration.ofMillis(500)).count();
      }
      // a little longer: more than expected would be a defect too
      count += consumer.poll(Duration.ofSeconds(2)).count();
    }
    return count;
  }

  /** The pipeline's gateway pod, with the token from its resolved environment. */
  record Gateway(String url, String token) {
    long total() throws Exception {
      // A "to" in the future: nothing of this range is cached yet.
      String to =
          Instant.now()
              .plusSeconds(60)
              .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
              .toString();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url + "/v1/stats?from=1h&to=" + to))
              .header("Authorization", "Bearer " + token)
              .build();
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      Map<String, Object> body = dev.logpipe.sandbox.api.JsonBodies.read(response.body());
      return ((Number) body.get("total")).longValue();
    }
  }

  private static Gateway gateway(Sandbox sandbox) {
    PodInfo pod =
        sandbox.pods().pods().stream()
            .filter(p -> p.component().equals("gateway"))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "no gateway pod: this operator build does not create the gateway"));
    return new Gateway(
        "http://127.0.0.1:" + pod.port(), sandbox.pods().env(pod, "LOGPIPE_GATEWAY_TOKEN"));
  }
}
