package dev.logpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adversarial review (breaker4) of the sandbox's in-process operator restart on a lost Lease
 * (Sandbox.leadershipLost/restartOperator), on the real control plane: another identity takes the
 * operator's Lease twice in a row (what a second replica, or a renewal the API server answered too
 * late, looks like to the operator). Each time the operator must be restarted, the new one must win
 * the Lease back once the thief stops renewing, and the restarts must leave no threads of the
 * closed operators behind (one autoscaler sampler, not one per restart).
 */
class SandboxLeaseLossIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final String THIEF = "breaker4-thief";

  @TempDir static Path dir;
  static Sandbox sandbox;

  @BeforeAll
  static void start() {
    SandboxOptions options = new SandboxOptions(REPO, dir, null, 0, 0, false, false);
    sandbox = new Sandbox(options).start(s -> System.out.println("sandbox: " + s));
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void twoLeaseLossesInARowRestartTheOperatorTwiceAndLeaveNoThreadsBehind() {
    Lease lease = await().atMost(Duration.ofSeconds(60)).until(this::operatorLease, l -> l != null);
    System.out.println(
        "operator Lease "
            + lease.getMetadata().getName()
            + " held by "
            + lease.getSpec().getHolderIdentity());
    awaitReconciled();
    int restarts = sandbox.operatorRestarts();
    Set<Thread> beforeFirstLoss = liveThreads();
    loseLease(restarts + 1);
    // Threads that appeared after the first restart: the first restarted operator's (and maybe a
    // shared pool's). Its close at the second restart must end its own.
    Set<Thread> ofFirstRestart = liveThreads();
    ofFirstRestart.removeAll(beforeFirstLoss);
    loseLease(restarts + 2);
    assertThat(sandbox.operatorRestarts() - restarts)
        .as("restarts after two lost Leases")
        .isEqualTo(2);
    assertThat(groups(liveThreads()).getOrDefault("logpipe-autoscaler", 0L))
        .as("autoscaler sampler threads alive after two restarts")
        .isEqualTo(1L);
    Set<Thread> survivors = new HashSet<>(ofFirstRestart);
    survivors.retainAll(liveThreads());
    // The fabric8 client is shared by every operator (not closed on restart): its pool may grow.
    survivors.removeIf(t -> t.getName().startsWith("JdkHttpClientFactory"));
    // An idle worker of a cached pool ends by itself within its keep-alive (60 s): not left
    // behind. Anything else still alive once the restart settled is (a fixed pool's worker waits
    // in take(), a scheduler, a watch, a selector).
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(
                        survivors.stream()
                            .filter(Thread::isAlive)
                            .filter(t -> !idleCachedPoolWorker(t))
                            .map(t -> t.getName() + " at " + top(t))
                            .toList())
                    .as("threads the closed operator (restart 1) left behind after restart 2")
                    .isEmpty());
  }

  /**
   * A ThreadPoolExecutor worker waiting for work with a timeout on a SynchronousQueue: a cached
   * pool's idle thread, which exits when its keep-alive runs out.
   */
  private static boolean idleCachedPoolWorker(Thread t) {
    StackTraceElement[] stack = t.getStackTrace();
    boolean inGetTask = false;
    boolean pollingHandoff = false;
    for (StackTraceElement e : stack) {
      inGetTask |=
          e.getClassName().equals("java.util.concurrent.ThreadPoolExecutor")
              && e.getMethodName().equals("getTask");
      pollingHandoff |=
          e.getClassName().equals("java.util.concurrent.SynchronousQueue")
              && e.getMethodName().equals("poll");
    }
    return inGetTask && pollingHandoff;
  }

  private static String top(Thread t) {
    StackTraceElement[] stack = t.getStackTrace();
    return java.util.Arrays.stream(stack)
        .filter(e -> !e.getClassName().startsWith("java.") && !e.getClassName().startsWith("jdk."))
        .findFirst()
        .map(StackTraceElement::toString)
        .orElse(stack.length == 0 ? "?" : stack[stack.length - 1].toString());
  }

  /** Another identity takes the Lease; waits for the restart and for the new operator to lead. */
  private void loseLease(int expectedRestarts) {
    steal();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> sandbox.operatorRestarts() >= expectedRestarts);
    // The thief does not renew: its Lease expires (15 s) and the new operator takes it.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              Lease l = operatorLease();
              return l != null
                  && l.getSpec().getHolderIdentity() != null
                  && !THIEF.equals(l.getSpec().getHolderIdentity());
            });
    awaitReconciled();
  }

  /** The operator now leading has reconciled since it took over (its backend probes ran). */
  private void awaitReconciled() {
    double was = reconciliations();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> reconciliations() > was);
  }

  private static double reconciliations() {
    return sandbox.meters().find("operator.sdk.reconciliations.success").counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static Set<Thread> liveThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .collect(Collectors.toCollection(HashSet::new));
  }

  /** The operator's Lease: the one in the operator's namespace (not kube-system's). */
  private Lease operatorLease() {
    return sandbox.client().leases().inAnyNamespace().list().getItems().stream()
        .filter(l -> !"kube-system".equals(l.getMetadata().getNamespace()))
        .filter(l -> !"kube-node-lease".equals(l.getMetadata().getNamespace()))
        .findFirst()
        .orElse(null);
  }

  /** Another identity takes the Lease, as a second replica would, and never renews it. */
  private void steal() {
    Lease lease = operatorLease();
    String now = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    sandbox
        .client()
        .leases()
        .inNamespace(lease.getMetadata().getNamespace())
        .withName(lease.getMetadata().getName())
        .edit(
            l -> {
              l.getSpec().setHolderIdentity(THIEF);
              l.getSpec().setAcquireTime(java.time.ZonedDateTime.now());
              l.getSpec().setRenewTime(java.time.ZonedDateTime.now());
              l.getSpec().setLeaseDurationSeconds(15);
              return l;
            });
    System.out.println("Lease taken by " + THIEF + " at " + now);
  }

  /** Threads by name with digits removed (pool threads differ only in their numbers). */
  private static Map<String, Long> groups(Set<Thread> threads) {
    return threads.stream()
        .collect(
            Collectors.groupingBy(
                t -> t.getName().replaceAll("[0-9]+", "#"), TreeMap::new, Collectors.counting()));
  }
}
