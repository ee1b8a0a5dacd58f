package dev.logpipe.sandbox.users;

import static dev.logpipe.sandbox.users.ScramClients.consume;
import static dev.logpipe.sandbox.users.ScramClients.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.sandbox.ClickHouseStats;
import dev.logpipe.sandbox.PipelineWatch;
import dev.logpipe.sandbox.Sandbox;
import dev.logpipe.sandbox.SandboxOptions;
import dev.logpipe.sandbox.generator.GeneratorSettings;
import dev.logpipe.sandbox.generator.KafkaLogSink;
import dev.logpipe.sandbox.generator.LogGenerator;
import dev.logpipe.sandbox.pods.PodInfo;
import dev.logpipe.sandbox.tenancy.EditRoleIsolation;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's Kafka proof end to end: the sandbox with the backend's Kafka authentication on
 * (SCRAM-SHA-512 on the dev Kafka's SASL listener), two pipelines applied on the real API server,
 * the operator makes their KafkaUsers, the Strimzi stand-in applies them, and the worker and
 * gateway processes (under the node agent) log in with what the operator put into each pipeline's
 * credentials Secret. A's workers store A's events; with A's worker password from A's credentials
 * Secret, reading B's topic and joining B's group are refused by Kafka's authorizer, and A's
 * gateway password cannot consume at all. Then, with a password on Redis's default user (the
 * backend's Redis admin credential), the Kubernetes side of tenant isolation: a user bound to the
 * API server's own {@code edit} role in team-a reaches no backend admin credential (but the
 * documented ClickHouse copy) and nothing of team-b's ({@link EditRoleIsolation}).
 */
class SandboxKafkaUsersIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final PipelineNames A = PipelineNames.of("team-a", "app", "logs_");
  static final PipelineNames B = PipelineNames.of("team-b", "app", "logs_");
  static final int EVENTS = 2_000;

  @TempDir Path dir;

  @Test
  void operatorMadeUsersStoreTheirOwnPipelinesEventsAndAreRefusedTheOthers() throws Exception {
    SandboxOptions options = new SandboxOptions(REPO, dir, null, 0, 0, false, false, true);
    try (Sandbox sandbox = new Sandbox(options).start(s -> System.out.println("sandbox: " + s))) {
      KubernetesClient client = sandbox.client();
      String redisPassword = EditRoleIsolation.protectRedis(sandbox);
      apply(client, A, true);
      apply(client, B, false);
      PipelineWatch a = new PipelineWatch(client, A.namespace(), A.name());
      PipelineWatch b = new PipelineWatch(client, B.namespace(), B.name());
      await()
          .atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> a.ready() && b.ready());
      assertThat(a.conditions().get("CredentialsReady").message())
          .contains(
              "Kafka: own SCRAM-SHA-512 users logpipe.team-a.app.worker for the workers"
                  + " (reads logpipe.team-a.app in group logpipe.team-a.app")
          .contains("logpipe.team-a.app.gateway for the gateway")
          .contains(sandbox.services().kafkaScramBootstrap());

      // The pods run as their own users on the SASL listener.
      PodInfo worker = pod(sandbox, A, "worker");
      PodInfo gateway = pod(sandbox, A, "gateway");
      assertThat(sandbox.pods().env(worker, "LOGPIPE_KAFKA_USER"))
          .isEqualTo("logpipe.team-a.app.worker");
      assertThat(sandbox.pods().env(gateway, "LOGPIPE_KAFKA_USER"))
          .isEqualTo("logpipe.team-a.app.gateway");

      // A's workers store A's events (consumed as A's worker user; only SASL reaches the topic).
      LogGenerator.Counts sent;
      try (LogGenerator generator =
          new LogGenerator(
              new KafkaLogSink(sandbox.services().kafkaBootstrap(), A.topic()),
              GeneratorSettings.defaults(),
              Clock.systemUTC())) {
        sent = generator.sendScenario(EVENTS, Duration.ofMinutes(2), Duration.ofSeconds(10));
      }
      ClickHouseStats clickhouse = sandbox.clickHouseStats();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> clickhouse.of(A.database(), A.table()).rows() >= sent.valid());
      assertThat(clickhouse.of(A.database(), A.table()).rows()).isEqualTo(sent.valid());

      // A's credentials, as whoever reads Secrets in team-a gets them.
      Secret credentials =
          client.secrets().inNamespace(A.namespace()).withName(A.credentialsSecret()).get();
      String scram = sandbox.services().kafkaScramBootstrap();
      Properties workerA =
          ScramClients.scram(
              scram,
              jaas(
                  "logpipe.team-a.app.worker",
                  decode(credentials, "LOGPIPE_KAFKA_WORKER_PASSWORD")));
      Properties gatewayA =
          ScramClients.scram(
              scram,
              jaas(
                  "logpipe.team-a.app.gateway",
                  decode(credentials, "LOGPIPE_KAFKA_GATEWAY_PASSWORD")));
      assertThat(credentials.getData().keySet())
          .as("only A's own Kafka passwords, no other user's")
          .filteredOn(k -> k.startsWith("LOGPIPE_KAFKA_"))
          .containsExactlyInAnyOrder(
              "LOGPIPE_KAFKA_WORKER_PASSWORD", "LOGPIPE_KAFKA_GATEWAY_PASSWORD");

      assertThatThrownBy(() -> consume(workerA, A.groupId(), B.topic()))
          .isInstanceOf(TopicAuthorizationException.class)
          .hasMessageContaining(B.topic());
      assertThatThrownBy(() -> subscribe(workerA, B.groupId(), A.topic()))
          .isInstanceOf(GroupAuthorizationException.class)
          .hasMessageContaining(B.groupId());
      assertThatThrownBy(() -> subscribe(gatewayA, A.groupId(), A.topic()))
          .isInstanceOf(AuthorizationException.class);
      assertThatThrownBy(() -> consume(gatewayA, "any-group", A.topic()))
          .isInstanceOf(AuthorizationException.class);

      new EditRoleIsolation(sandbox, A, B).verify(redisPassword);
    }
  }

  private void apply(KubernetesClient client, PipelineNames names, boolean gateway)
      throws Exception {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(names.namespace())
                .withLabels(Map.of("logging", "enabled"))
                .endMetadata()
                .build())
        .serverSideApply();
    LogPipeline pipeline =
        client
            .getKubernetesSerialization()
            .unmarshal(
                Files.readString(REPO.resolve("examples/logpipeline-quickstart.yaml")),
                LogPipeline.class);
    pipeline.getMetadata().setNamespace(names.namespace());
    pipeline.getMetadata().setName(names.name());
    pipeline.getSpec().getGateway().setEnabled(gateway);
    client.resource(pipeline).create();
  }

  private static PodInfo pod(Sandbox sandbox, PipelineNames names, String component) {
    return sandbox.pods().pods().stream()
        .filter(p -> p.namespace().equals(names.namespace()) && p.component().equals(component))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + component + " pod of " + names));
  }

  private static String decode(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }
}
