package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.condition;
import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.testing.TestingArgoCdFixtures;
import dev.logpipe.operator.testing.TestingLogpipe;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Workers that crash and a gateway whose image cannot be pulled, as the kubelet reports them on the
 * pods: the operator says so on WorkersAvailable and GatewayAvailable (False, a reason of their
 * own, pod, container, restarts, exit code) instead of "progressing" forever, and recovers when the
 * pods do. Each state the pipeline passes through is written as an Argo CD health fixture.
 */
@WithDevServices({DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerCrashLoopIT {
  private static final String NS = "team-payments";
  private static final String NAME = "payments";
  private static final String WORKER_POD_A = "payments-worker-6b7f9c8d5-2xkqp";
  private static final String WORKER_POD_B = "payments-worker-6b7f9c8d5-9mzrt";
  private static final String GATEWAY_POD = "payments-gateway-5d4c7b9f8-l8wqn";
  private static final String SECRET_VALUE = "env-value-that-must-stay-private";
  private static final String WRITER = WorkerCrashLoopIT.class.getSimpleName();
  private static TestingLogpipe env;

  @BeforeAll
  static void start(DevServices services) {
    // Stays on the mock: crash-looping, image-pull and config-error container statuses are
    // written here as a kubelet would; on a real server the node agent would have to fake them.
    env = new TestingLogpipe();
    env.namespace(NS, true);
    env.defaultBackend(services);
    env.pipeline(
        NS,
        NAME,
        s -> {
          s.getWorkers().setReplicas(2);
          s.getGateway().setEnabled(true);
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> deployment("worker") != null && deployment("gateway") != null);
    env.children().markTopicsReady(STRIMZI_NS);
    // The fixtures below hold every condition: topics and table must be settled first (the table
    // is provisioned asynchronously).
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                isTrue(env.get(NS, NAME), "TopicReady")
                    && isTrue(env.get(NS, NAME), "StorageReady")
                    && isTrue(env.get(NS, NAME), "CacheReady")
                    && credentialsSettled());
  }

  // CredentialsReady says "not known yet" until the backend check has tried a ClickHouse user.
  private static boolean credentialsSettled() {
    var c = condition(env.get(NS, NAME), "CredentialsReady");
    return c != null && !c.getMessage().contains("not known yet");
  }

  @AfterAll
  static void stop() {
    env.close();
  }

  @Test
  @Order(1)
  void podsStartingUpAreProgressing() {
    env.children().setReplicas(deployment("worker"), 2, 1);
    env.children().setReplicas(deployment("gateway"), 1, 1);
    // Both Deployments changed: wait for both conditions, or the fixture catches one mid-way.
    awaitCondition("GatewayAvailable", "GatewayAvailable", "1 of 1 gateway pods ready.");
    LogPipeline p =
        awaitCondition("WorkersAvailable", "WorkersProgressing", "1 of 2 worker pods ready.");
    TestingArgoCdFixtures.assertUpToDate(
        "logpipeline-workers-rolling-out.yaml",
        WRITER,
        p,
        "Progressing",
        "WorkersAvailable (WorkersProgressing): 1 of 2 worker pods ready");
  }

  @Test
  @Order(2)
  void crashLoopingWorkersMakeWorkersAvailableFalseWithWhatTheKubeletSays() {
    Deployment workers = deployment("worker");
    // A literal env value on the pod spec (ours use Secret references): never in a message.
    workers
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getEnv()
        .add(new EnvVar("EXTRA", SECRET_VALUE, null));
    env.children().setReplicas(workers, 2, 0);
    env.children().pod(workers, WORKER_POD_A, crashing(5));
    env.children().pod(workers, WORKER_POD_B, crashing(4));

    String message =
        "0 of 2 worker pods ready: container worker in pod "
            + WORKER_POD_A
            + " is in CrashLoopBackOff after 5 restarts; last exit code 1: Error, ClickHouse at"
            + " http://clickhouse.clickhouse:8123 refused the connection (2 pods affected).";
    LogPipeline p = awaitCondition("WorkersAvailable", "WorkersCrashLooping", message);
    assertThat(condition(p, "Ready").getReason()).isEqualTo("WorkersCrashLooping");
    assertThat(condition(p, "Ready").getStatus()).isEqualTo("False");
    assertThat(Serialization.asJson(p.getStatus())).doesNotContain(SECRET_VALUE);
    TestingArgoCdFixtures.assertUpToDate(
        "logpipeline-crashlooping-workers.yaml",
        WRITER,
        p,
        "Degraded",
        "WorkersAvailable (WorkersCrashLooping): " + message);
  }

  @Test
  @Order(3)
  void aGatewayImageThatCannotBePulledMakesGatewayAvailableFalse() {
    env.children().podStatus(NS, WORKER_POD_A, running());
    env.children().podStatus(NS, WORKER_POD_B, running());
    env.children().setReplicas(deployment("worker"), 2, 2);
    Deployment gateway = deployment("gateway");
    env.children().setReplicas(gateway, 1, 0);
    env.children()
        .pod(
            gateway,
            GATEWAY_POD,
            new ContainerStatusBuilder()
                .withName("gateway")
                .withImage("ghcr.io/logpipe/pipeline-worker:test")
                .withReady(false)
                .withRestartCount(0)
                .withNewState()
                .withNewWaiting()
                .withReason("ImagePullBackOff")
                .withMessage(
                    "Back-off pulling image \"ghcr.io/logpipe/pipeline-worker:test\": not found")
                .endWaiting()
                .endState()
                .build());

    String message =
        "0 of 1 gateway pods ready: container gateway in pod "
            + GATEWAY_POD
            + " cannot pull its image (ImagePullBackOff): Back-off pulling image"
            + " \"ghcr.io/logpipe/pipeline-worker:test\": not found.";
    awaitCondition("WorkersAvailable", "WorkersAvailable", "2 of 2 worker pods ready.");
    LogPipeline p = awaitCondition("GatewayAvailable", "GatewayImagePullFailed", message);
    assertThat(isTrue(p, "WorkersAvailable")).isTrue();
    TestingArgoCdFixtures.assertUpToDate(
        "logpipeline-gateway-image-pull-failed.yaml",
        WRITER,
        p,
        "Degraded",
        "GatewayAvailable (GatewayImagePullFailed): " + message);
  }

  @Test
  @Order(4)
  void podsThatRecoverMakeThePipelineReady() {
    env.children().podStatus(NS, GATEWAY_POD, running("gateway"));
    env.children().setReplicas(deployment("gateway"), 1, 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(isTrue(env.get(NS, NAME), "Ready")).isTrue());
    LogPipeline p = env.get(NS, NAME);
    TestingArgoCdFixtures.assertUpToDate(
        "logpipeline-healthy.yaml", WRITER, p, "Healthy", condition(p, "Ready").getMessage());
  }

  /**
   * Waits until the condition reads exactly so. A step that changes several children waits for each
   * of their conditions in turn (a condition, once reached, stays: nothing else changes it).
   */
  private static LogPipeline awaitCondition(String type, String reason, String message) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Condition c = condition(env.get(NS, NAME), type);
              assertThat(c.getReason()).isEqualTo(reason);
              assertThat(c.getMessage()).isEqualTo(message);
            });
    return env.get(NS, NAME);
  }

  private static ContainerStatus crashing(int restarts) {
    return new ContainerStatusBuilder()
        .withName("worker")
        .withImage("ghcr.io/logpipe/pipeline-worker:test")
        .withReady(false)
        .withRestartCount(restarts)
        .withNewState()
        .withNewWaiting()
        .withReason("CrashLoopBackOff")
        .withMessage("back-off 2m40s restarting failed container=worker")
        .endWaiting()
        .endState()
        .withNewLastState()
        .withNewTerminated()
        .withExitCode(1)
        .withReason("Error")
        .withMessage("ClickHouse at http://clickhouse.clickhouse:8123\nrefused the connection")
        .endTerminated()
        .endLastState()
        .build();
  }

  private static ContainerStatus running() {
    return running("worker");
  }

  private static ContainerStatus running(String container) {
    return new ContainerStatusBuilder()
        .withName(container)
        .withReady(true)
        .withRestartCount(6)
        .withNewState()
        .withNewRunning()
        .endRunning()
        .endState()
        .build();
  }

  private static Deployment deployment(String component) {
    return env.client().apps().deployments().inNamespace(NS).withName(NAME + "-" + component).get();
  }
}
