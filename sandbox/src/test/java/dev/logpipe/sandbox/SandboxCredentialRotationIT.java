package dev.logpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.model.CredentialRotation;
import dev.logpipe.operator.model.KafkaUserFactory;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.sandbox.pods.PodInfo;
import dev.logpipe.worker.cache.RedisLiveView;
import dev.logpipe.worker.config.Credentials;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's "migration with no gap in delivery" and "rotation" on real parts: the sandbox starts
 * with Kafka authentication off and one pipeline under a continuous sequenced load; the platform
 * admin then switches the backend's {@code spec.kafka.authentication} on (the upgrade), the
 * operator makes the pipeline's KafkaUsers and the worker rolls onto the SASL listener as its own
 * user; then the pipeline's users are rotated with {@code logpipe.dev/rotate-credentials} while the
 * load goes on. Checked against the real Redis and Kafka: the old Redis and Kafka passwords are
 * refused after the rotation and the new ones work; the worker Deployment rolled exactly once per
 * change (one new ReplicaSet each); and every event was stored exactly once: count() ==
 * uniqExact(trace_id) == produced, no id missing.
 *
 * <p>It fails if rotation is a no-op (the request is never marked handled, the old passwords keep
 * working) or if either change loses or duplicates a record.
 */
class SandboxCredentialRotationIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final String NS = "team-payments";
  static final String NAME = "rotating";
  static final PipelineNames NAMES = PipelineNames.of(NS, NAME, "logs_");
  static final int PARTITIONS = 2;
  static final int PER_SECOND = 200;
  static final Duration WAIT = Duration.ofSeconds(150);

  @TempDir Path dir;

  @Test
  void migrationToKafkaUsersAndARotationLoseAndDuplicateNothing() throws Exception {
    SandboxOptions options = new SandboxOptions(REPO, dir, null, 0, 0, false, false, false);
    try (Sandbox sandbox = new Sandbox(options).start(s -> System.out.println("sandbox: " + s));
        SequencedLogProducer producer =
            new SequencedLogProducer(
                sandbox.services().kafkaBootstrap(), NAMES.topic(), PARTITIONS)) {
      KubernetesClient client = sandbox.client();
      apply(sandbox);
      PipelineWatch pipeline = new PipelineWatch(client, NS, NAME);
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> pipeline.ready() && readyWorkers(sandbox) == 1);
      // Plaintext: no Kafka user, no Kafka password in the pipeline's Secret.
      assertThat(credentials(client).getData()).doesNotContainKey("LOGPIPE_KAFKA_WORKER_PASSWORD");
      assertThat(replicaSets(client)).isEqualTo(1);
      producer.startSteady(PER_SECOND);
      // Some of the load stored over plaintext first, so the switch meets a running pipeline.
      await()
          .atMost(WAIT)
          .until(() -> StoredIds.rows(sandbox.clickHouseStats(), NAMES) >= PER_SECOND);

      // MIGRATE: the platform admin turns Kafka authentication on for the backend.
      long beforeMigration = producer.produced();
      client
          .resources(ClusterLogBackend.class)
          .withName("default")
          .edit(b -> TestingFixtures.scram(b, sandbox.services().kafkaScramBootstrap()));
      String workerUser = KafkaUserFactory.workerUser(NAMES);
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                assertThat(replicaSets(client)).isEqualTo(2);
                List<PodInfo> workers = workers(sandbox);
                assertThat(workers).hasSize(1);
                assertThat(workers.get(0).ready()).isTrue();
                assertThat(sandbox.pods().env(workers.get(0), "LOGPIPE_KAFKA_USER"))
                    .isEqualTo(workerUser);
                assertThat(pipeline.ready()).isTrue();
                assertThat(pipeline.conditions().get("CredentialsReady").message())
                    .contains("Kafka: own SCRAM-SHA-512 users " + workerUser);
              });
      // Events produced since the switch reach the table through the SASL-authenticated worker.
      long migrated = producer.produced();
      await()
          .atMost(WAIT)
          .until(() -> StoredIds.storedUpTo(sandbox.clickHouseStats(), NAMES, migrated) > migrated);
      System.out.printf(
          "migration: produced %,d before the switch, %,d once the worker rolled onto SASL%n",
          beforeMigration, migrated);

      Secret before = credentials(client);
      Credentials oldRedis = redis(before);
      String oldKafka = decode(before, "LOGPIPE_KAFKA_WORKER_PASSWORD");
      String scram = sandbox.services().kafkaScramBootstrap();
      assertThat(redisAccepts(sandbox, oldRedis)).isTrue();
      assertThat(kafkaAccepts(scram, workerUser, oldKafka)).isTrue();

      // ROTATE while the load goes on.
      client
          .resources(LogPipeline.class)
          .inNamespace(NS)
          .withName(NAME)
          .edit(
              p -> {
                p.getMetadata().getAnnotations().put(CredentialRotation.REQUEST, "rotation-1");
                return p;
              });
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                assertThat(CredentialRotation.handled(credentials(client)))
                    .isEqualTo(CredentialRotation.fingerprint("rotation-1"));
                assertThat(replicaSets(client)).isEqualTo(3);
                List<PodInfo> workers = workers(sandbox);
                assertThat(workers).hasSize(1);
                assertThat(workers.get(0).ready()).isTrue();
                assertThat(pipeline.ready()).isTrue();
                assertThat(pipeline.conditions().get("CredentialsReady").message())
                    .contains("Rotated for logpipe.dev/rotate-credentials=rotation-1.");
              });
      long rotated = producer.produced();
      Secret after = credentials(client);
      Credentials newRedis = redis(after);
      String newKafka = decode(after, "LOGPIPE_KAFKA_WORKER_PASSWORD");
      assertThat(newRedis.password()).isNotEqualTo(oldRedis.password());
      assertThat(newKafka).isNotEqualTo(oldKafka);
      // The real servers: old passwords refused, new ones accepted.
      assertThat(redisAccepts(sandbox, oldRedis)).as("old Redis password").isFalse();
      assertThat(redisAccepts(sandbox, newRedis)).as("new Redis password").isTrue();
      assertThatThrownBy(() -> kafkaAccepts(scram, workerUser, oldKafka))
          .as("old Kafka password")
          .hasRootCauseInstanceOf(SaslAuthenticationException.class);
      assertThat(kafkaAccepts(scram, workerUser, newKafka)).as("new Kafka password").isTrue();
      await()
          .atMost(WAIT)
          .until(() -> StoredIds.storedUpTo(sandbox.clickHouseStats(), NAMES, rotated) > rotated);

      producer.stopSteady();
      await().atMost(Duration.ofSeconds(30)).until(producer::flushed);
      assertThat(producer.failed()).isEmpty();
      StoredIds.assertExactlyOnce(sandbox.clickHouseStats(), NAMES, producer.produced());
      // Exactly one roll per change, also after the load settled.
      assertThat(replicaSets(client)).isEqualTo(3);
    }
  }

  private static void apply(Sandbox sandbox) {
    String yaml =
        """
        apiVersion: logpipe.dev/v1alpha1
        kind: LogPipeline
        metadata:
          name: %s
          namespace: %s
        spec:
          backend: default
          topic:
            partitions: %d
          format:
            type: json
            fields:
              timestamp: ts
              level: severity
              service: app
              message: msg
              trace_id: seq
          cache:
            enabled: true
        """
            .formatted(NAME, NS, PARTITIONS);
    GenericKubernetesResource lp =
        sandbox
            .client()
            .getKubernetesSerialization()
            .unmarshal(yaml, GenericKubernetesResource.class);
    sandbox.client().resource(lp).fieldManager("team-payments").serverSideApply();
  }

  private static List<PodInfo> workers(Sandbox sandbox) {
    return sandbox.pods().pods().stream()
        .filter(p -> p.component().equals("worker") && p.name().startsWith(NAME + "-worker-"))
        .toList();
  }

  private static long readyWorkers(Sandbox sandbox) {
    return workers(sandbox).stream().filter(PodInfo::ready).count();
  }

  /** One ReplicaSet per pod template the worker Deployment ever had: 1 + its rollouts. */
  private static int replicaSets(KubernetesClient client) {
    return (int)
        client.apps().replicaSets().inNamespace(NS).list().getItems().stream()
            .map(ReplicaSet::getMetadata)
            .filter(
                m ->
                    m.getOwnerReferences() != null
                        && m.getOwnerReferences().stream()
                            .anyMatch(o -> NAMES.workerDeployment().equals(o.getName())))
            .count();
  }

  private static Secret credentials(KubernetesClient client) {
    return client.secrets().inNamespace(NS).withName(NAMES.credentialsSecret()).get();
  }

  private static Credentials redis(Secret secret) {
    return new Credentials(
        decode(secret, Credentials.REDIS_USER), decode(secret, Credentials.REDIS_PASSWORD));
  }

  /** Whether the real Redis lets these credentials in (AUTH at connect, then a permitted GET). */
  private static boolean redisAccepts(Sandbox sandbox, Credentials c) {
    RedisClient redis =
        RedisClient.create(RedisLiveView.redisUri(sandbox.services().redisUrl(), c));
    try (var connection = redis.connect()) {
      connection.sync().get(NAMES.redisKeyPrefix() + "query:probe");
      return true;
    } catch (RedisConnectionException e) {
      return false;
    } finally {
      redis.shutdown();
    }
  }

  /** True when the real Kafka's SCRAM listener accepts the user; throws its refusal otherwise. */
  private static boolean kafkaAccepts(String bootstrap, String user, String password)
      throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "SCRAM-SHA-512",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                    + user
                    + "\" password=\""
                    + password
                    + "\";"))) {
      admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
      return true;
    }
  }

  private static String decode(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }
}
