package dev.logpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logpipe.operator.model.ConfigMapFactory;
import dev.logpipe.operator.model.CredentialsSecretFactory;
import dev.logpipe.operator.model.PipelineNames;
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
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain as a user drives it: sandbox up, a LogPipeline applied with kubectl, Ready, 20k
 * generated events with a burst and broken lines, exact counts read through the gateway (stats and
 * anomalies, the same numbers as the table), the burst found, broken lines in the dead-letter
 * topic; a spec change with kubectl rolls the pods, 1,000 more events sent through the gateway by
 * the standalone generator ({@code bin/sandbox loggen}) are all stored and a new rule scores them;
 * delete with Retain keeps the table; everything stops. Kafka authentication is on, as in {@code
 * bin/sandbox}: the worker and gateway pods (before and after the roll) log in as the pipeline's
 * own KafkaUsers on the SCRAM-SHA-512 listener.
 */
class SandboxEndToEndIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final PipelineNames NAMES = PipelineNames.of("team-payments", "payments", "logs_");

  @TempDir Path dir;

  @Test
  void pipelineLifecycleThroughKubectl() throws Exception {
    Kubectl.requireInstalled();
    // Kafka authentication on, as bin/sandbox runs by default: the pods log in as the pipeline's
    // own KafkaUsers on the SCRAM-SHA-512 listener (the generator and the dead-letter reader below
    // stay the administrator on the plaintext listener).
    SandboxOptions options = new SandboxOptions(REPO, dir, null, 0, 0, true, false, true);
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
      assertPodsLogInAsOwnUsers(sandbox, pipeline);

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
      // The same numbers through the gateway's /v1/anomalies, as a user would read them.
      assertThat(gateway.anomaliesByService())
          .as("anomalous events per service through /v1/anomalies")
          .isEqualTo(anomaliesByService(clickhouse))
          .containsEntry("payments", anomaliesOf(clickhouse, "payments"));
      assertThat(stats.burstAnomalies())
          .as("burst-marked events fit in one /v1/anomalies page")
          .isLessThanOrEqualTo(1000);
      System.out.println(
          "e2e: /v1/anomalies per service "
              + gateway.anomaliesByService()
              + ", burst-marked "
              + stats.burstAnomalies());
      List<Map<String, Object>> paymentsAnomalies = gateway.anomalyEvents("payments");
      assertThat(paymentsAnomalies).hasSize((int) anomaliesOf(clickhouse, "payments"));
      assertThat(
              paymentsAnomalies.stream()
                  .filter(e -> ((List<?>) e.get("anomaly_reasons")).contains("error-burst"))
                  .count())
          .as("burst-marked events through /v1/anomalies")
          .isEqualTo(stats.burstAnomalies());
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
                    && sandbox.pods().pods().stream()
                            .filter(p -> p.component().equals("gateway"))
                            .count()
                        == 1
                    && sandbox.pods().pods().stream().allMatch(PodInfo::ready)
                    && observed != null
                    && ((Number) observed).longValue() == 2L
                    && pipeline.ready();
              });
      pids.addAll(sandbox.childPids());
      assertPodsLogInAsOwnUsers(sandbox, pipeline);
      // 1,000 more through the gateway, from the standalone generator as a person runs it.
      Gateway rolled = gateway(sandbox);
      SandboxCommand loggen =
          SandboxCommand.start(
              dir,
              Map.of("LOGPIPE_GATEWAY_TOKEN", rolled.token()),
              "loggen",
              "--gateway",
              rolled.url(),
              "--count",
              "1000",
              "--rate",
              "1000",
              "--burst-every",
              "0");
      assertThat(loggen.waitForExit(Duration.ofSeconds(60))).as(loggen.output()).isZero();
      assertThat(loggen.output()).contains("done: sent 1000 lines", "0 not acknowledged");
      // Every event of both scenarios stored (exactly once), before counting what the new rule
      // marked: the row count read below must not move while the pipeline is deleted.
      long expected = sent.valid() + 1_000;
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
                            .map(ProcessHandle::of)
                            .flatMap(java.util.Optional::stream)
                            .filter(ProcessHandle::isAlive)
                            .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                            .toList())
                    .as("processes left behind")
                    .isEmpty());
  }

  /**
   * Every running pod of the pipeline logs in on the SCRAM listener as its own KafkaUser: the
   * worker as {@code .worker}, the gateway as {@code .gateway}, with the password of that user from
   * the pipeline's credentials Secret, and the ConfigMap sends them to that listener only (so the
   * events stored below were read by the worker's user; the plaintext listener is the admin's).
   */
  private static void assertPodsLogInAsOwnUsers(Sandbox sandbox, PipelineWatch pipeline) {
    String scram = sandbox.services().kafkaScramBootstrap();
    assertThat(pipeline.conditions().get("CredentialsReady").message())
        .contains("logpipe.team-payments.payments.worker for the workers")
        .contains("logpipe.team-payments.payments.gateway for the gateway")
        .contains(scram);
    String config =
        sandbox
            .client()
            .configMaps()
            .inNamespace(NAMES.namespace())
            .withName(NAMES.configMap())
            .get()
            .getData()
            .get(ConfigMapFactory.CONFIG_KEY);
    com.fasterxml.jackson.databind.JsonNode kafka;
    try {
      kafka = new ObjectMapper().readTree(config).get("kafka");
    } catch (java.io.IOException e) {
      throw new AssertionError("the pipeline's ConfigMap is not JSON: " + config, e);
    }
    assertThat(kafka.get("bootstrapServers").asText()).isEqualTo(scram);
    assertThat(kafka.get("clientProperties").get("security.protocol").asText())
        .isEqualTo("SASL_PLAINTEXT");
    assertThat(kafka.get("clientProperties").get("sasl.mechanism").asText())
        .isEqualTo("SCRAM-SHA-512");
    List<PodInfo> pods =
        sandbox.pods().pods().stream().filter(p -> p.namespace().equals("team-payments")).toList();
    assertThat(pods).extracting(PodInfo::component).contains("worker", "gateway");
    var credentials =
        sandbox
            .client()
            .secrets()
            .inNamespace(NAMES.namespace())
            .withName(NAMES.credentialsSecret())
            .get();
    for (PodInfo pod : pods) {
      String user = "logpipe.team-payments.payments." + pod.component();
      String key =
          pod.component().equals("worker")
              ? CredentialsSecretFactory.KAFKA_WORKER_PASSWORD
              : CredentialsSecretFactory.KAFKA_GATEWAY_PASSWORD;
      assertThat(sandbox.pods().env(pod, "LOGPIPE_KAFKA_USER")).as(pod.name()).isEqualTo(user);
      assertThat(sandbox.pods().env(pod, "LOGPIPE_KAFKA_PASSWORD"))
          .as(pod.name() + " logs in with " + key)
          .isNotEmpty()
          .isEqualTo(
              new String(
                  java.util.Base64.getDecoder().decode(credentials.getData().get(key)),
                  java.nio.charset.StandardCharsets.UTF_8));
    }
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
    private static final ObjectMapper JSON = new ObjectMapper();

    long total() throws Exception {
      return ((Number) get("/v1/stats?from=1h&to=" + future()).get("total")).longValue();
    }

    /** {@code top_services} of {@code /v1/anomalies}: anomalous events per service. */
    @SuppressWarnings("unchecked")
    Map<String, Long> anomaliesByService() throws Exception {
      Map<String, Long> counts = new TreeMap<>();
      for (Object o :
          (List<Object>) get("/v1/anomalies?from=1h&to=" + future()).get("top_services")) {
        Map<String, Object> top = (Map<String, Object>) o;
        counts.put((String) top.get("service"), ((Number) top.get("anomalies")).longValue());
      }
      return counts;
    }

    /** The anomalous events of one service through {@code /v1/anomalies} (one page of 1000). */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> anomalyEvents(String service) throws Exception {
      return (List<Map<String, Object>>)
          get("/v1/anomalies?from=1h&limit=1000&service=" + service + "&to=" + future())
              .get("events");
    }

    private Map<String, Object> get(String pathAndQuery) throws Exception {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url + pathAndQuery))
              .header("Authorization", "Bearer " + token)
              .build();
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      return JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() {});
    }

    /** A "to" in the future: nothing of this range is cached yet. */
    private static String future() {
      return Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.SECONDS).toString();
    }
  }

  /** Anomalous events per service, straight from the table. */
  private static Map<String, Long> anomaliesByService(ClickHouseStats clickhouse) {
    Map<String, Long> counts = new TreeMap<>();
    String rows =
        clickhouse.query(
            "SELECT service, count() FROM "
                + table()
                + " WHERE anomaly_score > 0 GROUP BY service");
    for (String line : rows.strip().split("\n")) {
      if (!line.isBlank()) {
        String[] f = line.split("\t");
        counts.put(f[0], Long.parseLong(f[1]));
      }
    }
    return counts;
  }

  private static long anomaliesOf(ClickHouseStats clickhouse, String service) {
    return anomaliesByService(clickhouse).getOrDefault(service, 0L);
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
