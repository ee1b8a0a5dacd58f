package dev.logpipe.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.sandbox.CrdInstaller;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The stock kubectl against the sandbox API, with the project's own CRDs and examples. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxApiKubectlIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final ResourceDefinitionContext LP =
      new ResourceDefinitionContext.Builder()
          .withGroup("logpipe.dev")
          .withVersion("v1alpha1")
          .withKind("LogPipeline")
          .withPlural("logpipelines")
          .withNamespaced(true)
          .build();

  @TempDir static Path dir;
  static SandboxApiServer server;
  static KubernetesClient client;
  static Kubectl kubectl;

  @BeforeAll
  static void start() {
    Kubectl.requireInstalled();
    server = new SandboxApiServer().start(0);
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder().withMasterUrl(server.url()).withNamespace("default").build())
            .build();
    CrdInstaller.install(client, REPO.resolve("crds"));
    Path kubeconfig = Kubeconfig.write(dir.resolve("kubeconfig"), server.url(), "default");
    kubectl = new Kubectl(kubeconfig, dir.resolve("cache"));
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Order(0)
  void runsThePinnedKubectlUnlessOverridden() {
    Kubectl.Result version = kubectl.run("version", "--client");
    assertThat(version.exitCode()).as(version.toString()).isZero();
    System.out.println("kubectl under test: " + Kubectl.binary() + ": " + version.stdout());
    if (System.getenv(Kubectl.ENV) == null) {
      assertThat(version.stdout()).contains("Client Version: v" + Kubectl.VERSION);
    }
  }

  @Test
  @Order(1)
  void appliesTheExamplesTwiceWithoutError() {
    for (int round = 0; round < 2; round++) {
      for (String file :
          List.of(
              "namespace-team-payments.yaml",
              "cluster-log-backend.yaml",
              "logpipeline-quickstart.yaml")) {
        Kubectl.Result result =
            kubectl.run("apply", "-f", REPO.resolve("examples").resolve(file).toString());
        assertThat(result.exitCode()).as(file + " round " + round + ": " + result).isZero();
        assertThat(result.stdout()).contains(round == 0 ? "created" : "unchanged");
      }
    }
  }

  @Test
  @Order(2)
  void getsPipelinesAsATableWithPrinterColumns() {
    Kubectl.Result result = kubectl.run("get", "lp", "-n", "team-payments");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).contains("NAME", "READY", "TOPIC", "payments");
    Kubectl.Result yaml = kubectl.run("get", "lp", "payments", "-n", "team-payments", "-o", "yaml");
    assertThat(yaml.exitCode()).as(yaml.toString()).isZero();
    assertThat(yaml.stdout())
        .contains("kind: LogPipeline", "last-applied-configuration", "type: json");
  }

  @Test
  @Order(3)
  void explainsTheSpecFromTheCrdSchema() {
    Kubectl.Result result = kubectl.run("explain", "lp.spec");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).contains("LogPipeline", "workers", "deletionPolicy");
  }

  @Test
  @Order(4)
  void waitsForTheReadyCondition() throws Exception {
    // Its own thread: the common pool may have a single thread on a 2-core machine, and the
    // fabric8 client completes its futures there.
    CompletableFuture<Void> ready = new CompletableFuture<>();
    new Thread(
            () -> {
              try {
                sleep(1500);
                markReady();
                ready.complete(null);
              } catch (RuntimeException e) {
                ready.completeExceptionally(e);
              }
            })
        .start();
    Kubectl.Result result =
        kubectl.run(
            "wait", "--for=condition=Ready", "lp/payments", "-n", "team-payments", "--timeout=30s");
    ready.get(30, TimeUnit.SECONDS);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).contains("condition met");
    assertThat(kubectl.run("get", "lp", "-n", "team-payments").stdout()).contains("True");
  }

  @Test
  @Order(5)
  void changesTheSpecWithAMergePatchThatReplacesLists() {
    Kubectl.Result patch =
        kubectl.run(
            "patch",
            "lp",
            "payments",
            "-n",
            "team-payments",
            "--type=merge",
            "-p",
            "{\"spec\":{\"workers\":{\"replicas\":2}}}");
    assertThat(patch.exitCode()).as(patch.toString()).isZero();
    GenericKubernetesResource lp =
        client
            .genericKubernetesResources(LP)
            .inNamespace("team-payments")
            .withName("payments")
            .get();
    assertThat(lp.getMetadata().getGeneration()).isEqualTo(2L);
  }

  @Test
  @Order(6)
  void deletes() {
    Kubectl.Result result =
        kubectl.run("delete", "lp", "payments", "-n", "team-payments", "--timeout=30s");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(kubectl.run("get", "lp", "-n", "team-payments").stderr())
        .contains("No resources found");
  }

  private static void markReady() {
    GenericKubernetesResource lp =
        client
            .genericKubernetesResources(LP)
            .inNamespace("team-payments")
            .withName("payments")
            .get();
    lp.setAdditionalProperty(
        "status",
        Map.of(
            "observedGeneration",
            1,
            "conditions",
            List.of(
                Map.of(
                    "type", "Ready",
                    "status", "True",
                    "reason", "Ready",
                    "message", "ok",
                    "lastTransitionTime", "2025-01-01T00:00:00Z"))));
    client.genericKubernetesResources(LP).resource(lp).updateStatus();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
