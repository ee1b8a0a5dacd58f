package dev.logpipe.sandbox.users;

import static dev.logpipe.sandbox.users.ScramClients.consume;
import static dev.logpipe.sandbox.users.ScramClients.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.api.v1alpha1.SecretCredentialsRef;
import dev.logpipe.operator.model.CredentialsSecretFactory;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.sandbox.ClickHouseStats;
import dev.logpipe.sandbox.PipelineWatch;
import dev.logpipe.sandbox.Sandbox;
import dev.logpipe.sandbox.SandboxManifests;
import dev.logpipe.sandbox.SandboxOptions;
import dev.logpipe.sandbox.generator.GeneratorSettings;
import dev.logpipe.sandbox.generator.KafkaLogSink;
import dev.logpipe.sandbox.generator.LogGenerator;
import dev.logpipe.sandbox.pods.PodInfo;
import dev.logpipe.sandbox.tenancy.RedisLogins;
import dev.logpipe.sandbox.tenancy.SecretValues;
import dev.logpipe.sandbox.tenancy.TenantUser;
import dev.logpipe.worker.config.Credentials;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
 * documented ClickHouse copy) and nothing of team-b's ({@link
 * #editorOfTeamAGetsNoAdminNorTeamBCredential}).
 */
class SandboxKafkaUsersIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final PipelineNames A = PipelineNames.of("team-a", "app", "logs_");
  static final PipelineNames B = PipelineNames.of("team-b", "app", "logs_");
  static final int EVENTS = 2_000;
  static final String KAFKA_NS = "kafka"; // the example backend's Strimzi cluster namespace

  @TempDir Path dir;

  @Test
  void operatorMadeUsersStoreTheirOwnPipelinesEventsAndAreRefusedTheOthers() throws Exception {
    SandboxOptions options = new SandboxOptions(REPO, dir, null, 0, 0, false, false, true);
    try (Sandbox sandbox = new Sandbox(options).start(s -> System.out.println("sandbox: " + s))) {
      KubernetesClient client = sandbox.client();
      String redisPassword = protectRedis(sandbox, client);
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

      editorOfTeamAGetsNoAdminNorTeamBCredential(sandbox, client, redisPassword);
    }
  }

  /**
   * Issue 14: "a user bound to {@code edit} in team A's namespace cannot get any credential of team
   * B", on the real API server with its own RBAC and its own bootstrap ClusterRole {@code edit}.
   * Alice lists every Secret in team-a: none holds a backend admin credential but the documented
   * ClickHouse copy; Secrets in team-b, the Kafka namespace and the operator's are 403 to her (get,
   * list, watch), so are team-b's pods and exec into them, and granting herself more; editing
   * team-a's credentials Secret to name team-b's users is undone by the operator.
   */
  private void editorOfTeamAGetsNoAdminNorTeamBCredential(
      Sandbox sandbox, KubernetesClient admin, String redisPassword) throws Exception {
    String operatorNs = SandboxManifests.OPERATOR_NAMESPACE;
    SecretValues backendAdmin = SecretValues.of(secrets(admin, operatorNs));
    assertThat(
            backendAdmin.holds(redisPassword) && backendAdmin.holds(sandbox.clickHousePassword()))
        .as("the backend's Redis and ClickHouse passwords are among the values looked for")
        .isTrue();
    List<Secret> ofB = new ArrayList<>(secrets(admin, B.namespace()));
    secrets(admin, KAFKA_NS).stream()
        .filter(s -> s.getMetadata().getName().startsWith(B.backendUser() + "."))
        .forEach(ofB::add);
    SecretValues teamB = SecretValues.of(ofB).without(backendAdmin);
    assertThat(teamB.places())
        .as("B's own credentials are among the values looked for")
        .contains(
            "team-b/app-credentials/" + Credentials.REDIS_PASSWORD,
            "team-b/app-credentials/" + CredentialsSecretFactory.KAFKA_WORKER_PASSWORD,
            "kafka/logpipe.team-b.app.worker/password");

    try (TenantUser alice =
        TenantUser.boundToEdit(admin, sandbox.controlPlane(), "alice", A.namespace())) {
      // The RBAC authorizer learns of the new RoleBinding through its informer: wait for it.
      List<Secret> visible =
          await()
              .atMost(Duration.ofSeconds(30))
              .ignoreExceptions()
              .until(() -> secrets(alice.client(), A.namespace()), l -> !l.isEmpty());
      assertThat(visible)
          .extracting(s -> s.getMetadata().getName())
          .contains(A.credentialsSecret());
      assertThat(backendAdmin.foundIn(visible))
          .as(
              "team-a Secret keys holding a backend admin credential: only the documented"
                  + " exception, the copy of the backend's ClickHouse user (the dev ClickHouse,"
                  + " chDB, cannot create per-pipeline SQL users; README \"Security: backend"
                  + " credentials\")")
          .isEqualTo(
              Map.of(
                  A.credentialsSecret() + "/" + Credentials.CLICKHOUSE_USER,
                  Set.of(operatorNs + "/" + SandboxManifests.CLICKHOUSE_SECRET + "/username"),
                  A.credentialsSecret() + "/" + Credentials.CLICKHOUSE_PASSWORD,
                  Set.of(operatorNs + "/" + SandboxManifests.CLICKHOUSE_SECRET + "/password")));
      assertThat(teamB.foundIn(visible)).as("team-a Secret keys holding B's credentials").isEmpty();

      assertThat(alice.can("watch", "secrets", null, A.namespace()))
          .as("edit grants watching Secrets in her own namespace (the review can say yes)")
          .isTrue();
      for (String ns : List.of(B.namespace(), KAFKA_NS, operatorNs)) {
        var theirs = alice.client().secrets().inNamespace(ns);
        List<Secret> there = secrets(admin, ns);
        assertThat(there).as("Secrets in " + ns).isNotEmpty();
        for (Secret s : there) {
          String name = s.getMetadata().getName();
          alice.assertForbidden("get Secret " + ns + "/" + name, () -> theirs.withName(name).get());
        }
        alice.assertForbidden("list Secrets in " + ns, theirs::list);
        alice.assertForbidden("watch Secrets in " + ns, () -> theirs.watch(new IgnoreAll<>()));
        assertThat(alice.can("watch", "secrets", null, ns))
            .as("alice may watch Secrets in " + ns)
            .isFalse();
      }

      PodInfo workerB = pod(sandbox, B, "worker");
      var podsB = alice.client().pods().inNamespace(B.namespace());
      alice.assertForbidden("get team-b's worker Pod", () -> podsB.withName(workerB.name()).get());
      alice.assertForbidden("list team-b's Pods", podsB::list);
      // Exec as kubectl would, minus the upgrade: RBAC judges "create pods/exec" first.
      HttpResponse<String> execB = alice.post(execPath(admin, B, workerB));
      assertThat(execB.code()).as("exec into team-b's worker: " + execB.body()).isEqualTo(403);
      assertThat(execB.body())
          .contains("User \\\"alice\\\" cannot create resource \\\"pods/exec\\\"");
      HttpResponse<String> execA = alice.post(execPath(admin, A, pod(sandbox, A, "worker")));
      // Past RBAC the server looks for the node's kubelet, which the sandbox's node agent does not
      // serve (500 "no preferred addresses"): anything but 403 means authorization passed.
      assertThat(execA.code())
          .as("exec into her own team's worker passes RBAC: " + execA.body())
          .isNotEqualTo(403);
      assertThat(alice.can("create", "pods", "exec", B.namespace()))
          .as("alice may create pods/exec in team-b")
          .isFalse();
      assertThat(alice.can("create", "pods", "exec", A.namespace()))
          .as("edit grants pods/exec in her own namespace (the review can say yes)")
          .isTrue();

      alice.assertForbidden(
          "bind herself to ClusterRole admin in team-a",
          () ->
              alice
                  .client()
                  .rbac()
                  .roleBindings()
                  .inNamespace(A.namespace())
                  .resource(binding("alice-admin", A.namespace(), "admin"))
                  .create());
      alice.assertForbidden(
          "bind herself to ClusterRole admin in team-b",
          () ->
              alice
                  .client()
                  .rbac()
                  .roleBindings()
                  .inNamespace(B.namespace())
                  .resource(binding("alice-admin", B.namespace(), "admin"))
                  .create());
      alice.assertForbidden(
          "bind herself to cluster-admin cluster-wide",
          () ->
              alice
                  .client()
                  .rbac()
                  .clusterRoleBindings()
                  .resource(
                      new ClusterRoleBindingBuilder()
                          .withNewMetadata()
                          .withName("alice-cluster-admin")
                          .endMetadata()
                          .withRoleRef(binding("x", "x", "cluster-admin").getRoleRef())
                          .withSubjects(binding("x", "x", "cluster-admin").getSubjects())
                          .build())
                  .create());

      credentialsNamingTeamBGainNothing(sandbox, admin, alice, teamB);
    }
  }

  /**
   * Alice edits team-a's credentials Secret (her role may) to name team-b's Redis user and Kafka
   * user: the operator writes A's own values back, and she still reads nothing of B's.
   */
  private void credentialsNamingTeamBGainNothing(
      Sandbox sandbox, KubernetesClient admin, TenantUser alice, SecretValues teamB) {
    Secret before =
        admin.secrets().inNamespace(A.namespace()).withName(A.credentialsSecret()).get();
    Secret edited =
        alice
            .client()
            .secrets()
            .inNamespace(A.namespace())
            .withName(A.credentialsSecret())
            .edit(
                s -> {
                  s.getData().put(Credentials.REDIS_USER, base64(B.backendUser()));
                  s.getData().put("LOGPIPE_KAFKA_USER", base64(B.backendUser() + ".worker"));
                  return s;
                });
    assertThat(decode(edited, Credentials.REDIS_USER)).isEqualTo(B.backendUser());
    // Awaited as the Secret or null, so a timeout does not print the Secret's data.
    Secret after =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(250))
            .until(
                () -> {
                  Secret s =
                      admin
                          .secrets()
                          .inNamespace(A.namespace())
                          .withName(A.credentialsSecret())
                          .get();
                  boolean putBack =
                      !s.getMetadata()
                              .getResourceVersion()
                              .equals(edited.getMetadata().getResourceVersion())
                          && A.backendUser().equals(decode(s, Credentials.REDIS_USER));
                  return putBack ? s : null;
                },
                java.util.Objects::nonNull);
    assertThat(after.getData().keySet())
        .as("the key alice added is gone")
        .isEqualTo(before.getData().keySet());
    for (String key :
        List.of(
            Credentials.CLICKHOUSE_USER,
            Credentials.CLICKHOUSE_PASSWORD,
            CredentialsSecretFactory.KAFKA_WORKER_PASSWORD,
            CredentialsSecretFactory.KAFKA_GATEWAY_PASSWORD)) {
      assertThat(after.getData().get(key))
          .as(key + " put back")
          .isEqualTo(before.getData().get(key));
    }
    assertThat(teamB.foundIn(List.of(after))).as("B's credentials in A's Secret").isEmpty();
    alice.assertForbidden(
        "get team-b's credentials after the edit",
        () ->
            alice
                .client()
                .secrets()
                .inNamespace(B.namespace())
                .withName(B.credentialsSecret())
                .get());
    // The Redis password in the Secret is A's user's (made anew: the user it stood beside changed)
    // and reaches only A's keys.
    String url = sandbox.services().redisUrl();
    String password = decode(after, Credentials.REDIS_PASSWORD);
    String own = "logpipe:team-a:app:query:tenancy-check";
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> RedisLogins.get(url, A.backendUser(), password, own), "null"::equals);
    assertThat(RedisLogins.get(url, A.backendUser(), password, "logpipe:team-b:app:query:x"))
        .startsWith("NOPERM");
  }

  /**
   * A shared Redis as the platform must run it (README: the default user needs a password, or the
   * ACL users isolate nothing): a password on Redis's default user, in Secret redis-admin in the
   * operator's namespace, named by the backend; the sandbox itself runs Redis without one.
   */
  private static String protectRedis(Sandbox sandbox, KubernetesClient client) {
    String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    RedisLogins.requirePassword(sandbox.services().redisUrl(), password);
    client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("redis-admin")
                .withNamespace(SandboxManifests.OPERATOR_NAMESPACE)
                .endMetadata()
                .withStringData(Map.of("password", password))
                .build())
        .create();
    client
        .resources(ClusterLogBackend.class)
        .withName("default")
        .edit(
            b -> {
              SecretCredentialsRef ref = new SecretCredentialsRef();
              ref.setName("redis-admin");
              ref.setNamespace(SandboxManifests.OPERATOR_NAMESPACE);
              b.getSpec().getRedis().setCredentialsSecret(ref);
              return b;
            });
    return password;
  }

  /** The exec subresource of a pipeline's pod, running {@code env} in its one container. */
  private static String execPath(KubernetesClient admin, PipelineNames names, PodInfo pod) {
    String container =
        admin
            .pods()
            .inNamespace(names.namespace())
            .withName(pod.name())
            .get()
            .getSpec()
            .getContainers()
            .get(0)
            .getName();
    return "/api/v1/namespaces/"
        + names.namespace()
        + "/pods/"
        + pod.name()
        + "/exec?command=env&stdout=true&container="
        + container;
  }

  private static List<Secret> secrets(KubernetesClient client, String namespace) {
    return client.secrets().inNamespace(namespace).list().getItems();
  }

  private static RoleBinding binding(String name, String namespace, String clusterRole) {
    return new RoleBindingBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole")
        .withName(clusterRole)
        .endRoleRef()
        .addNewSubject()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("User")
        .withName("alice")
        .endSubject()
        .build();
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  /** A watch that would be opened only to be closed again (the server must refuse it). */
  private static final class IgnoreAll<T> implements Watcher<T> {
    @Override
    public void eventReceived(Action action, T resource) {}

    @Override
    public void onClose(WatcherException cause) {}
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
