package dev.logpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.sandbox.pods.PodInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stock kubectl against the sandbox: the real kube-apiserver and controllers with the sandbox's
 * node agent running the pods. What a person does with kubectl behaves as on a cluster: apply, get
 * with printer columns, explain, wait; a deleted pod's process stops and a replacement starts; a
 * killed process is restarted and counted, then backs off; rollout restart; scale; deleting the
 * namespace runs the pipeline's finalizer, stops the processes and removes the namespace.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxKubectlIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final PipelineNames NAMES = PipelineNames.of("team-payments", "payments", "logs_");
  static final Duration ROLLOUT = Duration.ofSeconds(120);

  @TempDir static Path dir;
  static Sandbox sandbox;
  static Kubectl kubectl;

  @BeforeAll
  static void start() {
    Kubectl.requireInstalled();
    SandboxOptions options = new SandboxOptions(REPO, dir, null, 0, 0, false, true);
    sandbox = new Sandbox(options).start(s -> System.out.println("sandbox: " + s));
    kubectl = new Kubectl(sandbox.kubeconfig(), dir.resolve("kubectl-cache"));
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
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
  void appliesWhatTheSandboxAppliedTwiceAndWaitsForReady() {
    Path manifests = dir.resolve("manifests");
    for (int round = 0; round < 2; round++) {
      for (Path file :
          List.of(
              REPO.resolve("examples/namespace-team-payments.yaml"),
              manifests.resolve("cluster-log-backend.yaml"),
              manifests.resolve("logpipeline.yaml"))) {
        Kubectl.Result result = kubectl.run("apply", "-f", file.toString());
        assertThat(result.exitCode()).as(file + " round " + round + ": " + result).isZero();
        if (round == 1) {
          assertThat(result.stdout()).as(file.toString()).contains("unchanged");
        }
      }
    }
    Kubectl.Result ready =
        kubectl.run("wait", "--for=condition=Ready", "lp/payments", "--timeout=180s");
    assertThat(ready.exitCode()).as(ready.toString()).isZero();
    assertThat(ready.stdout()).contains("condition met");
  }

  @Test
  @Order(2)
  void getsPipelinesAsATableAndExplainsTheSpec() {
    Kubectl.Result table = kubectl.run("get", "lp");
    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.stdout())
        .contains("NAME", "READY", "TOPIC", "payments", "True", NAMES.topic());
    Kubectl.Result yaml =
        kubectl.run("get", "lp", "payments", "-o", "yaml", "--show-managed-fields");
    assertThat(yaml.stdout()).contains("kind: LogPipeline", "managedFields", "type: Ready");
    Kubectl.Result explain = kubectl.run("explain", "lp.spec");
    assertThat(explain.exitCode()).as(explain.toString()).isZero();
    assertThat(explain.stdout()).contains("workers", "deletionPolicy");
    assertThat(description(explain.stdout()))
        .as(explain.stdout())
        .isNotBlank()
        .isNotEqualTo("<empty>");
  }

  @Test
  @Order(3)
  void getPodsShowsReadyAndRestarts() {
    Kubectl.Result pods = kubectl.run("get", "pods", "-l", "app.kubernetes.io/component=worker");
    assertThat(pods.exitCode()).as(pods.toString()).isZero();
    assertThat(pods.stdout()).contains("READY", "STATUS", "RESTARTS", "1/1", "Running");
    assertThat(column(pods.stdout(), "RESTARTS")).isEqualTo("0");
    Kubectl.Result wide = kubectl.run("get", "pods", "-o", "wide");
    assertThat(wide.stdout()).contains("NODE", "sandbox", "127.0.0.1");
  }

  @Test
  @Order(4)
  void deletingAPodStopsItsProcessAndTheReplicaSetReplacesIt() {
    PodInfo old = worker();
    Kubectl.Result delete = kubectl.run("delete", "pod", old.name(), "--timeout=60s");
    assertThat(delete.exitCode()).as(delete.toString()).isZero();
    // kubectl returns once the pod is gone, and the node agent removes it only after its process
    assertThat(alive(old.pid())).as("the deleted pod's process").isFalse();
    await()
        .atMost(ROLLOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> workers().size() == 1 && workers().get(0).ready());
    assertThat(worker().name()).isNotEqualTo(old.name());
    assertThat(worker().pid()).isNotEqualTo(old.pid());
    assertAvailable();
  }

  @Test
  @Order(5)
  void aKilledProcessIsRestartedCountedAndThenBacksOff() {
    PodInfo pod = worker();
    ProcessHandle.of(pod.pid()).orElseThrow().destroyForcibly();
    await()
        .atMost(ROLLOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> jsonpath(pod.name(), restarts()).equals("1/137/running"));
    PodInfo restarted = worker();
    assertThat(restarted.name()).as("the same pod, restarted in place").isEqualTo(pod.name());
    assertThat(restarted.pid()).isNotEqualTo(pod.pid());
    await().atMost(ROLLOUT).until(() -> worker().ready());
    assertThat(column(kubectl.run("get", "pods", pod.name()).stdout(), "RESTARTS"))
        .startsWith("1 (");

    // A second exit soon after: the kubelet's back-off (10 s) before the next start.
    ProcessHandle.of(restarted.pid()).orElseThrow().destroyForcibly();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> jsonpath(pod.name(), waiting()).equals("CrashLoopBackOff"));
    assertThat(kubectl.run("get", "pods", pod.name()).stdout()).contains("CrashLoopBackOff");
    assertThat(workers()).as("no process during the back-off").isEmpty();
    await()
        .atMost(ROLLOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> jsonpath(pod.name(), restarts()).equals("2/137/running"));
    await().atMost(ROLLOUT).until(() -> !workers().isEmpty() && worker().ready());
  }

  @Test
  @Order(6)
  void rolloutRestartReplacesThePodAndItsProcess() {
    PodInfo old = worker();
    Kubectl.Result restart =
        kubectl.run("rollout", "restart", "deploy/" + NAMES.workerDeployment());
    assertThat(restart.exitCode()).as(restart.toString()).isZero();
    Kubectl.Result status =
        kubectl.run("rollout", "status", "deploy/" + NAMES.workerDeployment(), "--timeout=180s");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(status.stdout()).contains("successfully rolled out");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !alive(old.pid()) && workers().size() == 1 && worker().ready());
    assertThat(worker().name()).isNotEqualTo(old.name());
  }

  @Test
  @Order(7)
  void scalingStartsAndStopsWorkerProcesses() {
    // kubectl scale on the operator's Deployment: the operator owns spec.replicas (server-side
    // apply) and sets it back to the pipeline's spec.workers.replicas.
    Kubectl.Result scale =
        kubectl.run("scale", "deploy/" + NAMES.workerDeployment(), "--replicas=2");
    assertThat(scale.exitCode()).as(scale.toString()).isZero();
    assertThat(scale.stdout()).contains("scaled");
    await()
        .atMost(ROLLOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                kubectl
                        .run(
                            "get",
                            "deploy",
                            NAMES.workerDeployment(),
                            "-o",
                            "jsonpath={.spec.replicas}/{.status.replicas}")
                        .stdout()
                        .equals("1/1")
                    && workers().size() == 1);
    // Scaling the pipeline itself: a second process starts, then one stops.
    PodInfo first = worker();
    assertThat(patchReplicas(2).exitCode()).isZero();
    await()
        .atMost(ROLLOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> workers().size() == 2 && workers().stream().allMatch(PodInfo::ready));
    List<Long> two = workers().stream().map(PodInfo::pid).toList();
    assertThat(two).contains(first.pid());
    assertThat(patchReplicas(1).exitCode()).isZero();
    await()
        .atMost(ROLLOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> two.stream().filter(SandboxKubectlIT::alive).count() == 1);
    assertThat(workers()).hasSize(1);
    assertAvailable();
  }

  @Test
  @Order(9)
  void deletingTheNamespaceRunsTheFinalizerAndStopsEveryProcess() {
    List<Long> pids = sandbox.pods().pods().stream().map(PodInfo::pid).toList();
    assertThat(pids).isNotEmpty();
    Kubectl.Result delete = kubectl.run("delete", "namespace", NAMES.namespace(), "--timeout=180s");
    assertThat(delete.exitCode()).as(delete.toString()).isZero();
    Kubectl.Result gone = kubectl.run("get", "namespace", NAMES.namespace());
    assertThat(gone.exitCode()).isNotZero();
    assertThat(gone.stderr()).contains("NotFound");
    assertThat(pids.stream().filter(SandboxKubectlIT::alive).toList())
        .as("processes of the namespace's pods")
        .isEmpty();
    assertThat(sandbox.pods().pods()).isEmpty();
  }

  /**
   * Before the namespace deletion: a terminating namespace refuses new objects with 403 too
   * (NamespaceLifecycle admission, not RBAC), and the operator still writes its Secret there.
   */
  @Test
  @Order(8)
  void theOperatorNeededNothingTheChartsRbacDoesNotGrant() {
    assertThat(sandbox.operatorRequests().forbidden()).as("requests refused with 403").isEmpty();
  }

  private static Kubectl.Result patchReplicas(int replicas) {
    return kubectl.run(
        "patch",
        "lp",
        "payments",
        "--type=merge",
        "-p",
        "{\"spec\":{\"workers\":{\"replicas\":" + replicas + "}}}");
  }

  private static void assertAvailable() {
    Kubectl.Result available =
        kubectl.run(
            "wait",
            "--for=condition=Available",
            "deploy/" + NAMES.workerDeployment(),
            "--timeout=120s");
    assertThat(available.exitCode()).as(available.toString()).isZero();
  }

  private static String restarts() {
    return "{.status.containerStatuses[0].restartCount}/"
        + "{.status.containerStatuses[0].lastState.terminated.exitCode}/"
        + "{.status.containerStatuses[0].state.running.startedAt}";
  }

  private static String waiting() {
    return "{.status.containerStatuses[0].state.waiting.reason}";
  }

  /** A jsonpath of one pod; a started-at time reads as "running". */
  private static String jsonpath(String pod, String path) {
    String out = kubectl.run("get", "pod", pod, "-o", "jsonpath=" + path).stdout();
    return out.replaceAll("/\\d{4}-\\d\\d-\\d\\dT[0-9:]+Z$", "/running");
  }

  private static List<PodInfo> workers() {
    return sandbox.pods().pods().stream().filter(p -> p.component().equals("worker")).toList();
  }

  private static PodInfo worker() {
    List<PodInfo> workers = workers();
    assertThat(workers).as("worker processes").hasSize(1);
    return workers.get(0);
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The text under DESCRIPTION: in kubectl explain's output. */
  static String description(String explain) {
    String[] lines = explain.split("\n");
    StringBuilder text = new StringBuilder();
    boolean in = false;
    for (String line : lines) {
      if (line.startsWith("DESCRIPTION:")) {
        in = true;
      } else if (in && !line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        break;
      } else if (in) {
        text.append(line.strip()).append(' ');
      }
    }
    return text.toString().strip();
  }

  /** The value of one column in the first data row of kubectl's table output. */
  static String column(String table, String name) {
    String[] lines = table.split("\n");
    int start = lines[0].indexOf(name);
    assertThat(start).as(table).isNotNegative();
    int end = start;
    // the column runs to the next header's start
    String rest = lines[0].substring(start + name.length());
    int gap = rest.length() - rest.stripLeading().length();
    end = rest.isBlank() ? Integer.MAX_VALUE : start + name.length() + gap;
    String row = lines[1];
    return row.substring(Math.min(start, row.length()), Math.min(end, row.length())).strip();
  }
}
