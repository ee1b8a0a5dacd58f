package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.OPERATOR_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.condition;
import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.DeletionPolicy;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.config.OperatorConfig;
import dev.logpipe.operator.model.CredentialRotation;
import dev.logpipe.operator.model.WorkerImage;
import dev.logpipe.operator.testing.ApiCall;
import dev.logpipe.operator.testing.TestingApiRecorder.PipelineWrite;
import dev.logpipe.operator.testing.TestingClickHouse;
import dev.logpipe.operator.testing.TestingLogpipe;
import dev.logpipe.operator.testing.TestingRbac;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One pipeline through its whole life with every part switched on (gateway, cache, dead letter,
 * Kafka authentication, deletionPolicy Delete), under leader election and namespaced RBAC, while
 * the mock API server records each request of the operator's client. Then: every call is granted by
 * OperatorPermissions, every grant was used (or is explained there), and the operator wrote nothing
 * to a LogPipeline but its status and its finalizer.
 */
@WithDevServices({DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorApiCallsIT {
  private static final String NS = "team-calls";
  private static final String NAME = "audit";
  private static TestingLogpipe env;
  private static TestingClickHouse clickHouse;

  @BeforeAll
  static void start(DevServices services) {
    OperatorConfig config =
        new OperatorConfig(
            Set.of(NS),
            Set.of(STRIMZI_NS),
            2,
            Duration.ofSeconds(10),
            new WorkerImage("ghcr.io/logpipe/pipeline-worker:test", "IfNotPresent"),
            OPERATOR_NS,
            true,
            OperatorConfig.LEASE_NAME,
            0);
    // On the mock: it records every call of the operator's client; the real server's 403s
    // (TestingKubeApiServer) prove the chart's RBAC, this proves every grant is used.
    env = new TestingLogpipe(new SimpleMeterRegistry(), config);
    env.namespace(NS, true);
    env.defaultBackend(services);
    // Kafka authentication on: the KafkaUsers and the Strimzi user Secrets are part of the run.
    env.client()
        .resources(ClusterLogBackend.class)
        .withName("default")
        .edit(b -> TestingFixtures.scram(b, "127.0.0.1:9095"));
    clickHouse = TestingClickHouse.of(services);
  }

  @AfterAll
  static void stop() {
    env.close();
    clickHouse.close();
  }

  @Test
  @Order(1)
  void theLeaderBuildsAPipelineWithEveryPartUntilReady() {
    env.pipeline(
        NS,
        NAME,
        s -> {
          s.getGateway().setEnabled(true);
          s.setDeletionPolicy(DeletionPolicy.Delete);
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              env.children().markUsersReady(STRIMZI_NS);
              env.children().markTopicsReady(STRIMZI_NS);
              env.children().markDeploymentsAvailable(NS);
              LogPipeline p = env.get(NS, NAME);
              assertThat(isTrue(p, "Ready")).isTrue();
              assertThat(condition(p, "CredentialsReady").getMessage())
                  .contains("Kafka: own SCRAM-SHA-512 users");
              assertThat(isTrue(p, "GatewayAvailable")).isTrue();
              assertThat(isTrue(p, "CacheReady")).isTrue();
            });
    assertThat(lease().getSpec().getHolderIdentity()).isNotBlank();
    assertThat(topic(".dlq")).isNotNull();
    // blockOwnerDeletion would need "update logpipelines/finalizers" (the API server's
    // OwnerReferencesPermissionEnforcement admission), which OperatorPermissions does not grant.
    assertThat(
            env.client()
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName(NAME + "-worker")
                .get()
                .getMetadata()
                .getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getBlockOwnerDeletion()).isNotEqualTo(Boolean.TRUE));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        env.client()
                            .resources(ClusterLogBackend.class)
                            .withName("default")
                            .get()
                            .getStatus())
                    .isNotNull());
  }

  @Test
  @Order(2)
  void specChangesRollTheChildrenAndSwitchingTheGatewayOffRemovesIt() {
    env.edit(
        NS,
        NAME,
        s -> {
          s.getStorage().setRetentionDays(21);
          s.getWorkers().setReplicas(2);
          s.getCache().setQueryTtlSeconds(30);
        });
    // Rotated backend credentials reach the pipeline's copy (the dev ClickHouse takes any).
    env.secret("clickhouse-admin", "default", "rotated");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              env.children().markDeploymentsAvailable(NS);
              LogPipeline p = env.get(NS, NAME);
              assertThat(p.getStatus().getObservedGeneration()).isEqualTo(2L);
              assertThat(isTrue(p, "Ready")).isTrue();
              assertThat(condition(p, "StorageReady").getMessage()).contains("21 days");
              assertThat(
                      env.client()
                          .secrets()
                          .inNamespace(NS)
                          .withName(NAME + "-credentials")
                          .get()
                          .getData()
                          .get("LOGPIPE_CLICKHOUSE_PASSWORD"))
                  .isEqualTo(java.util.Base64.getEncoder().encodeToString("rotated".getBytes()));
            });

    // A rotation request: Strimzi's user Secrets are deleted so that it makes new passwords.
    env.requestRotation(NS, NAME, "audit-1");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              env.children().markUsersReady(STRIMZI_NS);
              assertThat(
                      CredentialRotation.handled(
                          env.client()
                              .secrets()
                              .inNamespace(NS)
                              .withName(NAME + "-credentials")
                              .get()))
                  .isEqualTo(CredentialRotation.fingerprint("audit-1"));
            });

    env.edit(NS, NAME, s -> s.getGateway().setEnabled(false));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              env.children().markDeploymentsAvailable(NS); // rolled by the rotation
              assertThat(
                      env.client()
                          .apps()
                          .deployments()
                          .inNamespace(NS)
                          .withName(NAME + "-gateway")
                          .get())
                  .isNull();
              assertThat(env.client().services().inNamespace(NS).withName(NAME + "-gateway").get())
                  .isNull();
              assertThat(
                      env.client()
                          .secrets()
                          .inNamespace(NS)
                          .withName(NAME + "-gateway-token")
                          .get())
                  .isNull();
              assertThat(isTrue(env.get(NS, NAME), "Ready")).isTrue();
            });
  }

  @Test
  @Order(3)
  void deletingWithTheDeletePolicyRemovesTopicsAndTable() {
    // Removing the finalizer first meets a conflict: the operator reads the pipeline again.
    env.recorder().conflictOnNextWrite();
    env.client().resources(LogPipeline.class).inNamespace(NS).withName(NAME).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> env.get(NS, NAME) == null);
    assertThat(topic("")).isNull();
    assertThat(topic(".dlq")).isNull();
    assertThat(
            env.client()
                .resources(io.strimzi.api.kafka.model.user.KafkaUser.class)
                .inNamespace(STRIMZI_NS)
                .list()
                .getItems())
        .isEmpty();
    assertThat(clickHouse.tables("logs_team_calls")).doesNotContainKey(NAME);
  }

  @Test
  @Order(4)
  void aLeaseTakenByAnotherReplicaIsReported() {
    Lease lease = lease();
    lease.getSpec().setHolderIdentity("another-replica");
    lease.getSpec().setRenewTime(ZonedDateTime.now());
    lease.getSpec().setAcquireTime(ZonedDateTime.now());
    env.client().resource(lease).update();
    await().atMost(Duration.ofSeconds(20)).until(() -> env.leadershipLost() > 0);
  }

  @Test
  @Order(5)
  void everyCallIsGrantedAndEveryGrantIsUsed() {
    TestingRbac rbac = env.rbac();
    var calls = env.operatorCalls().keySet();
    System.out.println("operator API calls:\n" + TestingRbac.describe(calls));
    assertThat(rbac.ungranted(calls))
        .as("calls the chart's RBAC (OperatorPermissions) would deny")
        .isEmpty();
    assertThat(rbac.unused(calls))
        .as(
            "grants in OperatorPermissions no call used; remove them from the list and the chart,"
                + " or explain them in OperatorPermissions.NOT_EXERCISED")
        .isEmpty();
  }

  /** Spec belongs to the user: the operator writes only status and its finalizer. */
  @Test
  @Order(6)
  void theOperatorWroteOnlyStatusAndItsFinalizerToTheLogPipeline() {
    List<PipelineWrite> writes =
        env.pipelineWrites().stream().filter(PipelineWrite::byOperator).toList();
    System.out.println("operator writes to LogPipelines:\n" + writes);
    assertThat(writes).extracting(w -> w.call().resource()).contains("logpipelines/status");
    assertThat(writes)
        .as("the injected conflict, then the finalizer removal that went through")
        .anyMatch(w -> w.code() == 409);
    assertThat(writes)
        .as("the finalizer is added and, once cleaned up, removed")
        .anySatisfy(w -> assertThat(w.changed()).containsExactly("metadata.finalizers"))
        .filteredOn(w -> w.call().resource().equals("logpipelines"))
        .hasSizeGreaterThanOrEqualTo(2);
    for (PipelineWrite w : writes) {
      String allowed =
          w.call().resource().equals("logpipelines/status") ? "status" : "metadata.finalizers";
      assertThat(w.changed())
          .as("%s changed %s", w.call(), w.changed())
          .allMatch(path -> path.equals(allowed) || path.startsWith(allowed + "."));
    }
    assertThat(env.operatorCalls().keySet())
        .filteredOn(c -> c.resource().equals("logpipelines"))
        .extracting(ApiCall::verb)
        .doesNotContain("create", "delete", "deletecollection");
  }

  private static Lease lease() {
    return env.client().leases().inNamespace(OPERATOR_NS).withName(OperatorConfig.LEASE_NAME).get();
  }

  private static KafkaTopic topic(String suffix) {
    return env.client()
        .resources(KafkaTopic.class)
        .inNamespace(STRIMZI_NS)
        .withName("logpipe." + NS + "." + NAME + suffix)
        .get();
  }
}
