package dev.logpipe.sandbox.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.SecretCredentialsRef;
import dev.logpipe.operator.model.CredentialsSecretFactory;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.sandbox.Sandbox;
import dev.logpipe.sandbox.SandboxManifests;
import dev.logpipe.sandbox.pods.PodInfo;
import dev.logpipe.worker.config.Credentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Issue 14: "a user bound to {@code edit} in team A's namespace cannot get any credential of team
 * B", on the real API server with its own RBAC and its own bootstrap ClusterRole {@code edit}.
 * Alice lists every Secret in team-a: none holds a backend admin credential but the documented
 * ClickHouse copy; Secrets in team-b, the Kafka namespace and the operator's are 403 to her (get,
 * list, watch), so are team-b's pods and exec into them, and granting herself more; editing
 * team-a's credentials Secret to name team-b's users is undone by the operator.
 */
public final class EditRoleIsolation {
  static final String ALICE = "alice";
  static final String KAFKA_NS = "kafka"; // the example backend's Strimzi cluster namespace

  private final Sandbox sandbox;
  private final KubernetesClient admin;
  private final PipelineNames a;
  private final PipelineNames b;

  /** Alice gets {@code edit} in {@code a}'s namespace; {@code b} is the other team's pipeline. */
  public EditRoleIsolation(Sandbox sandbox, PipelineNames a, PipelineNames b) {
    this.sandbox = sandbox;
    this.admin = sandbox.client();
    this.a = a;
    this.b = b;
  }

  /** Runs every check; {@code redisPassword} is the backend's ({@link #protectRedis}). */
  public void verify(String redisPassword) throws Exception {
    String operatorNs = SandboxManifests.OPERATOR_NAMESPACE;
    SecretValues backendAdmin = SecretValues.of(secrets(admin, operatorNs));
    assertThat(
            backendAdmin.holds(redisPassword) && backendAdmin.holds(sandbox.clickHousePassword()))
        .as("the backend's Redis and ClickHouse passwords are among the values looked for")
        .isTrue();
    List<Secret> ofB = new ArrayList<>(secrets(admin, b.namespace()));
    secrets(admin, KAFKA_NS).stream()
        .filter(s -> s.getMetadata().getName().startsWith(b.backendUser() + "."))
        .forEach(ofB::add);
    SecretValues teamB = SecretValues.of(ofB).without(backendAdmin);
    assertThat(teamB.places())
        .as("B's own credentials are among the values looked for")
        .contains(
            b.namespace() + "/" + b.credentialsSecret() + "/" + Credentials.REDIS_PASSWORD,
            b.namespace()
                + "/"
                + b.credentialsSecret()
                + "/"
                + CredentialsSecretFactory.KAFKA_WORKER_PASSWORD,
            KAFKA_NS + "/" + b.backendUser() + ".worker/password");

    try (TenantUser alice =
        TenantUser.boundToEdit(admin, sandbox.controlPlane(), ALICE, a.namespace())) {
      // The RBAC authorizer learns of the new RoleBinding through its informer: wait for it.
      List<Secret> visible =
          await()
              .atMost(Duration.ofSeconds(30))
              .ignoreExceptions()
              .until(() -> secrets(alice.client(), a.namespace()), l -> !l.isEmpty());
      assertThat(visible)
          .extracting(s -> s.getMetadata().getName())
          .contains(a.credentialsSecret());
      assertThat(backendAdmin.foundIn(visible))
          .as(
              "team-a Secret keys holding a backend admin credential: only the documented"
                  + " exception, the copy of the backend's ClickHouse user (the dev ClickHouse,"
                  + " chDB, cannot create per-pipeline SQL users; README \"Security: backend"
                  + " credentials\")")
          .isEqualTo(
              Map.of(
                  a.credentialsSecret() + "/" + Credentials.CLICKHOUSE_USER,
                  Set.of(operatorNs + "/" + SandboxManifests.CLICKHOUSE_SECRET + "/username"),
                  a.credentialsSecret() + "/" + Credentials.CLICKHOUSE_PASSWORD,
                  Set.of(operatorNs + "/" + SandboxManifests.CLICKHOUSE_SECRET + "/password")));
      assertThat(teamB.foundIn(visible)).as("team-a Secret keys holding B's credentials").isEmpty();

      assertThat(alice.can("watch", "secrets", null, a.namespace()))
          .as("edit grants watching Secrets in her own namespace (the review can say yes)")
          .isTrue();
      for (String ns : List.of(b.namespace(), KAFKA_NS, operatorNs)) {
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

      PodInfo workerB = pod(b, "worker");
      var podsB = alice.client().pods().inNamespace(b.namespace());
      alice.assertForbidden("get team-b's worker Pod", () -> podsB.withName(workerB.name()).get());
      alice.assertForbidden("list team-b's Pods", podsB::list);
      // Exec as kubectl would, minus the upgrade: RBAC judges "create pods/exec" first.
      HttpResponse<String> execB = alice.post(execPath(b, workerB));
      assertThat(execB.code()).as("exec into team-b's worker: " + execB.body()).isEqualTo(403);
      assertThat(execB.body())
          .contains("User \\\"alice\\\" cannot create resource \\\"pods/exec\\\"");
      HttpResponse<String> execA = alice.post(execPath(a, pod(a, "worker")));
      // Past RBAC the server looks for the node's kubelet, which the sandbox's node agent does not
      // serve (500 "no preferred addresses"): anything but 403 means authorization passed.
      assertThat(execA.code())
          .as("exec into her own team's worker passes RBAC: " + execA.body())
          .isNotEqualTo(403);
      assertThat(alice.can("create", "pods", "exec", b.namespace()))
          .as("alice may create pods/exec in team-b")
          .isFalse();
      assertThat(alice.can("create", "pods", "exec", a.namespace()))
          .as("edit grants pods/exec in her own namespace (the review can say yes)")
          .isTrue();

      alice.assertForbidden(
          "bind herself to ClusterRole admin in team-a",
          () ->
              alice
                  .client()
                  .rbac()
                  .roleBindings()
                  .inNamespace(a.namespace())
                  .resource(binding("alice-admin", a.namespace(), "admin"))
                  .create());
      alice.assertForbidden(
          "bind herself to ClusterRole admin in team-b",
          () ->
              alice
                  .client()
                  .rbac()
                  .roleBindings()
                  .inNamespace(b.namespace())
                  .resource(binding("alice-admin", b.namespace(), "admin"))
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

      new CredentialsPutBack(sandbox, a, b).verify(alice, teamB);
    }
  }

  static PodInfo pod(Sandbox sandbox, PipelineNames names, String component) {
    return sandbox.pods().pods().stream()
        .filter(p -> p.namespace().equals(names.namespace()) && p.component().equals(component))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + component + " pod of " + names));
  }

  private PodInfo pod(PipelineNames names, String component) {
    return pod(sandbox, names, component);
  }

  /**
   * A shared Redis as the platform must run it (README: the default user needs a password, or the
   * ACL users isolate nothing): a password on Redis's default user, in Secret redis-admin in the
   * operator's namespace, named by the backend; the sandbox itself runs Redis without one.
   */
  public static String protectRedis(Sandbox sandbox) {
    KubernetesClient client = sandbox.client();
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
  private String execPath(PipelineNames names, PodInfo pod) {
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

  static List<Secret> secrets(KubernetesClient client, String namespace) {
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
        .withName(ALICE)
        .endSubject()
        .build();
  }

  /** A watch that would be opened only to be closed again (the server must refuse it). */
  private static final class IgnoreAll<T> implements Watcher<T> {
    @Override
    public void eventReceived(Action action, T resource) {}

    @Override
    public void onClose(WatcherException cause) {}
  }
}
