package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.condition;
import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.model.KafkaUserFactory;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.operator.model.SecretHashes;
import dev.logpipe.operator.testing.TestingLogCapture;
import dev.logpipe.operator.testing.TestingLogpipe;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With spec.kafka.authentication on the backend, each pipeline gets its KafkaUsers in the Strimzi
 * namespace, its pods wait (CredentialsReady says for what) until Strimzi's User Operator (played
 * by the test on the mock API server) wrote their Secrets, then log in as their own user with the
 * password copied from exactly that Secret; the users go with the gateway and the pipeline.
 */
@WithDevServices({DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS})
class PipelineKafkaUsersIT {
  private static final String NS = "team-kusers";
  private static final String SASL = "127.0.0.1:9095";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static TestingLogpipe env;
  private static TestingLogCapture log;

  private static DevServices services;

  @BeforeAll
  static void start(DevServices devServices) {
    services = devServices;
    env = new TestingLogpipe();
    // After the operator's start, which resets the log configuration: captures what it prints.
    log = TestingLogCapture.install();
    env.namespace(NS, true);
    env.defaultBackend(services);
    env.client()
        .resources(ClusterLogBackend.class)
        .withName("default")
        .edit(b -> TestingFixtures.scram(b, SASL));
    // Another application's KafkaUser Secret next to the pipelines': never copied.
    env.client()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("billing-app")
                .withNamespace(STRIMZI_NS)
                .withLabels(Map.of("strimzi.io/kind", "KafkaUser"))
                .endMetadata()
                .withData(Map.of("password", b64("theirs")))
                .build())
        .create();
  }

  @AfterAll
  static void stop() {
    log.close();
    env.close();
    // No password the test's Strimzi wrote ever reached the operator's log.
    assertThat(log.text()).isNotEmpty().doesNotContain("pw-logpipe");
  }

  @Test
  void podsWaitForStrimzisSecretsThenLogInAsTheirOwnUsersWhichGoWithThePipeline() {
    env.pipeline(NS, "orders", s -> s.getGateway().setEnabled(true));
    String worker = "logpipe.team-kusers.orders.worker";
    String gateway = "logpipe.team-kusers.orders.gateway";

    // The users are made; nothing is copied or started before Strimzi wrote their Secrets.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(user(worker)).isNotNull();
              assertThat(user(gateway)).isNotNull();
              var c = condition(env.get(NS, "orders"), "CredentialsReady");
              assertThat(c.getStatus()).isEqualTo("Unknown");
              assertThat(c.getReason()).isEqualTo("KafkaUserPending");
              assertThat(c.getMessage())
                  .contains("Waiting for Strimzi's User Operator to write Secret kafka/" + worker);
            });
    KafkaUser w = user(worker);
    assertThat(w.getMetadata().getLabels())
        .containsEntry("strimzi.io/cluster", "logs")
        .containsEntry("app.kubernetes.io/component", "kafka-user-worker");
    assertThat(w.getMetadata().getAnnotations())
        .containsEntry(Mappers.DEFAULT_ANNOTATION_FOR_NAMESPACE, NS)
        .containsEntry(Mappers.DEFAULT_ANNOTATION_FOR_NAME, "orders");
    assertThat(w.getSpec().getAuthentication())
        .isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);
    assertThat(env.client().secrets().inNamespace(NS).withName("orders-credentials").get())
        .isNull();
    assertThat(env.client().apps().deployments().inNamespace(NS).withName("orders-worker").get())
        .isNull();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              env.children().markUsersReady(STRIMZI_NS);
              env.children().markTopicsReady(STRIMZI_NS);
              env.children().markDeploymentsAvailable(NS);
              LogPipeline p = env.get(NS, "orders");
              assertThat(isTrue(p, "Ready")).isTrue();
              var c = condition(p, "CredentialsReady");
              assertThat(c.getMessage())
                  .contains(
                      "Kafka: own SCRAM-SHA-512 users "
                          + worker
                          + " for the workers (reads logpipe.team-kusers.orders in group"
                          + " logpipe.team-kusers.orders, writes dead letters to"
                          + " logpipe.team-kusers.orders.dlq) and "
                          + gateway
                          + " for the gateway (writes logpipe.team-kusers.orders only), on "
                          + SASL
                          + " (SASL_PLAINTEXT).");
            });
    Map<String, String> copied = credentials("orders").getData();
    assertThat(copied)
        .containsEntry("LOGPIPE_KAFKA_WORKER_PASSWORD", b64("pw-" + worker))
        .containsEntry("LOGPIPE_KAFKA_GATEWAY_PASSWORD", b64("pw-" + gateway))
        .doesNotContainValue(b64("theirs"));
    assertLogsInAs("orders-worker", worker, "LOGPIPE_KAFKA_WORKER_PASSWORD");
    assertLogsInAs("orders-gateway", gateway, "LOGPIPE_KAFKA_GATEWAY_PASSWORD");
    String config =
        env.client()
            .configMaps()
            .inNamespace(NS)
            .withName("orders-pipeline-config")
            .get()
            .getData()
            .values()
            .iterator()
            .next()
            .replaceAll("\\s", "");
    assertThat(config)
        .contains("\"bootstrapServers\":\"" + SASL + "\"")
        .contains("\"security.protocol\":\"SASL_PLAINTEXT\"")
        .contains("\"sasl.mechanism\":\"SCRAM-SHA-512\"")
        .doesNotContain("pw-");
    assertThat(env.client().getKubernetesSerialization().asJson(env.get(NS, "orders").getStatus()))
        .doesNotContain("pw-");

    // Gateway off: its user and its password go; the worker's stay.
    env.edit(NS, "orders", s -> s.getGateway().setEnabled(false));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(user(gateway)).isNull();
              assertThat(credentials("orders").getData())
                  .doesNotContainKey("LOGPIPE_KAFKA_GATEWAY_PASSWORD")
                  .containsKey("LOGPIPE_KAFKA_WORKER_PASSWORD");
            });
    assertThat(user(worker)).isNotNull();

    // Deleted with deletionPolicy Retain: the topics stay, the logins do not.
    env.client().resources(LogPipeline.class).inNamespace(NS).withName("orders").delete();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(env.get(NS, "orders")).isNull();
              assertThat(user(worker)).isNull();
            });
    assertThat(
            env.client()
                .resources(io.strimzi.api.kafka.model.topic.KafkaTopic.class)
                .inNamespace(STRIMZI_NS)
                .withName("logpipe.team-kusers.orders")
                .get())
        .isNotNull();
  }

  @Test
  void aSecretStrimziDidNotWriteForThePipelinesUserIsNeverCopied() {
    String worker = "logpipe.team-kusers.rogue.worker";
    // Planted under the worker user's name before Strimzi could write it: not owned by the user.
    env.client()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(worker)
                .withNamespace(STRIMZI_NS)
                .withLabels(Map.of("strimzi.io/kind", "KafkaUser"))
                .endMetadata()
                .withData(Map.of("password", b64("planted")))
                .build())
        .create();
    env.pipeline(NS, "rogue", s -> {});
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var c = condition(env.get(NS, "rogue"), "CredentialsReady");
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("KafkaUserSecretInvalid");
              assertThat(c.getMessage())
                  .contains(
                      "Secret kafka/"
                          + worker
                          + " is not owned by KafkaUser kafka/"
                          + worker
                          + ", so it is not the one Strimzi wrote for it");
              var workers = condition(env.get(NS, "rogue"), "WorkersAvailable");
              assertThat(workers.getReason()).isEqualTo("KafkaUserSecretInvalid");
            });
    assertThat(env.client().secrets().inNamespace(NS).withName("rogue-credentials").get()).isNull();

    // Once the planted Secret is gone, the one Strimzi writes is copied.
    env.client().secrets().inNamespace(STRIMZI_NS).withName(worker).delete();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              env.children().markUsersReady(STRIMZI_NS);
              assertThat(credentials("rogue").getData())
                  .containsEntry("LOGPIPE_KAFKA_WORKER_PASSWORD", b64("pw-" + worker));
            });
  }

  @Test
  void aKafkaUserThatAnotherPipelineClaimsIsNeitherAdoptedNorDeleted() {
    String worker = "logpipe.team-kusers.taken.worker";
    KafkaUser foreign =
        KafkaUserFactory.worker(
            PipelineNames.of(NS, "taken", "logs_"),
            TestingFixtures.pipeline(NS, "taken").getSpec(),
            TestingFixtures.scram(TestingFixtures.backend(), SASL).getSpec());
    foreign.getMetadata().getAnnotations().put(Mappers.DEFAULT_ANNOTATION_FOR_NAMESPACE, "team-x");
    foreign.getMetadata().getAnnotations().put(Mappers.DEFAULT_ANNOTATION_FOR_NAME, "other");
    foreign.getSpec().setAuthorization(null);
    env.client().resource(foreign).create();

    env.pipeline(NS, "taken", s -> {});
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var c = condition(env.get(NS, "taken"), "CredentialsReady");
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("KafkaUserOwnedByOther");
              assertThat(c.getMessage())
                  .contains(
                      "KafkaUser kafka/"
                          + worker
                          + " belongs to LogPipeline team-x/other; it is neither adopted nor"
                          + " deleted by this pipeline.");
            });
    env.client().resources(LogPipeline.class).inNamespace(NS).withName("taken").delete();
    await().atMost(WAIT).until(() -> env.get(NS, "taken") == null);
    KafkaUser after = user(worker);
    assertThat(after).isNotNull();
    assertThat(after.getMetadata().getAnnotations())
        .containsEntry(Mappers.DEFAULT_ANNOTATION_FOR_NAME, "other");
    assertThat(after.getSpec().getAuthorization()).isNull();
  }

  @Test
  void aPasswordStrimziChangesReachesOnlyThePodsThatLogInWithIt() {
    env.pipeline(NS, "rotating", s -> s.getGateway().setEnabled(true));
    String gateway = "logpipe.team-kusers.rotating.gateway";
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              env.children().markUsersReady(STRIMZI_NS);
              assertThat(credentials("rotating").getData())
                  .containsKeys("LOGPIPE_KAFKA_WORKER_PASSWORD", "LOGPIPE_KAFKA_GATEWAY_PASSWORD");
              assertThat(credentialsHash("rotating-worker")).isNotNull();
              assertThat(credentialsHash("rotating-gateway")).isNotNull();
            });
    String workerHash = credentialsHash("rotating-worker");
    String gatewayHash = credentialsHash("rotating-gateway");

    // Strimzi's User Operator writes a new password for the gateway's user (as on a rotation).
    env.client()
        .secrets()
        .inNamespace(STRIMZI_NS)
        .withName(gateway)
        .edit(
            secret -> {
              secret.getData().put("password", b64("rotated"));
              return secret;
            });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(credentials("rotating").getData())
                  .containsEntry("LOGPIPE_KAFKA_GATEWAY_PASSWORD", b64("rotated"));
              assertThat(credentialsHash("rotating-gateway")).isNotEqualTo(gatewayHash);
            });
    // Both Deployments are applied in the same reconciliation: the worker's must stay as it was.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> workerHash.equals(credentialsHash("rotating-worker")));
  }

  @Test
  void switchingAuthenticationOffRemovesTheUsersAndTheLogins() {
    env.backend("switchable", services.clickHouseUrl(), "clickhouse-admin", services.redisUrl());
    env.client()
        .resources(ClusterLogBackend.class)
        .withName("switchable")
        .edit(b -> TestingFixtures.scram(b, SASL));
    env.pipeline(NS, "sw", s -> s.setBackend("switchable"));
    String worker = "logpipe.team-kusers.sw.worker";
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              env.children().markUsersReady(STRIMZI_NS);
              assertThat(credentials("sw").getData()).containsKey("LOGPIPE_KAFKA_WORKER_PASSWORD");
              assertLogsInAs("sw-worker", worker, "LOGPIPE_KAFKA_WORKER_PASSWORD");
            });

    env.client()
        .resources(ClusterLogBackend.class)
        .withName("switchable")
        .edit(
            b -> {
              b.getSpec().getKafka().setAuthentication(null);
              return b;
            });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(user(worker)).isNull();
              assertThat(credentials("sw").getData().keySet())
                  .noneMatch(k -> k.startsWith("LOGPIPE_KAFKA_"));
              assertThat(
                      env.client()
                          .apps()
                          .deployments()
                          .inNamespace(NS)
                          .withName("sw-worker")
                          .get()
                          .getSpec()
                          .getTemplate()
                          .getSpec()
                          .getContainers()
                          .get(0)
                          .getEnv())
                  .noneMatch(e -> e.getName().startsWith("LOGPIPE_KAFKA_"));
              var c = condition(env.get(NS, "sw"), "CredentialsReady");
              assertThat(c.getMessage()).contains("Kafka: plaintext without authentication");
            });
  }

  private static String credentialsHash(String deployment) {
    var d = env.client().apps().deployments().inNamespace(NS).withName(deployment).get();
    return d == null
        ? null
        : d.getSpec().getTemplate().getMetadata().getAnnotations().get(SecretHashes.CREDENTIALS);
  }

  private static void assertLogsInAs(String deployment, String user, String passwordKey) {
    List<EnvVar> env =
        PipelineKafkaUsersIT.env
            .client()
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName(deployment)
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv();
    assertThat(env)
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("LOGPIPE_KAFKA_USER");
              assertThat(e.getValue()).isEqualTo(user);
            });
    assertThat(env)
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("LOGPIPE_KAFKA_PASSWORD");
              assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(passwordKey);
            });
  }

  private static KafkaUser user(String name) {
    return env.client().resources(KafkaUser.class).inNamespace(STRIMZI_NS).withName(name).get();
  }

  private static Secret credentials(String pipeline) {
    return env.client().secrets().inNamespace(NS).withName(pipeline + "-credentials").get();
  }

  private static String b64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
