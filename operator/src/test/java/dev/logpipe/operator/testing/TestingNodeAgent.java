package dev.logpipe.operator.testing;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A kubelet that runs nothing, for operator tests on the real API server: it registers a Ready Node
 * (heart-beating its Lease), binds every unscheduled pod to it, reports each bound pod Running and
 * Ready, and removes pods being deleted, so the real ReplicaSet, Deployment, garbage-collector and
 * namespace controllers do the rest. The sandbox's node agent (SandboxNodeAgent) runs real
 * processes instead and shares how a node registers, renews its Lease and binds pods ({@link
 * #register}, {@link #renewLease}, {@link #bind}).
 */
public final class TestingNodeAgent implements AutoCloseable {
  public static final String NODE = "testing-node";

  private final KubernetesClient client;
  private final ScheduledExecutorService heartbeat =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "testing-node-heartbeat");
            t.setDaemon(true);
            return t;
          });
  private final SharedIndexInformer<Pod> pods;
  // Per Deployment selector (namespace + matchLabels): how many of its pods may be Ready. A test
  // holds a rollout part-way as a kubelet with failing readiness probes would.
  private final Map<String, Map<String, String>> limitedSelectors = new ConcurrentHashMap<>();
  private final Map<String, Integer> readyLimits = new ConcurrentHashMap<>();

  public TestingNodeAgent(KubernetesClient client) {
    this.client = client;
    register(client, NODE, "testing node agent");
    heartbeat.scheduleWithFixedDelay(() -> renewLease(client, NODE), 0, 10, TimeUnit.SECONDS);
    pods =
        client
            .pods()
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    handle(pod);
                  }

                  @Override
                  public void onUpdate(Pod old, Pod pod) {
                    handle(pod);
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknown) {}
                });
  }

  /**
   * Registers (or re-registers) a Ready node named {@code node} with room for 500 pods; {@code
   * message} explains the node in its Ready condition.
   */
  public static void register(KubernetesClient client, String node, String message) {
    Node object =
        new NodeBuilder()
            .withNewMetadata()
            .withName(node)
            .withLabels(Map.of("kubernetes.io/hostname", node))
            .endMetadata()
            .build();
    client.nodes().resource(object).createOr(existing -> existing.update());
    Map<String, Quantity> capacity =
        Map.of(
            "cpu",
            new Quantity("64"),
            "memory",
            new Quantity("256Gi"),
            "pods",
            new Quantity("500"));
    // editStatus sends the resourceVersion it read, and the node controller writes to a new Node
    // at once: a conflict is retried on the newer version.
    for (int attempt = 1; ; attempt++) {
      try {
        client
            .nodes()
            .withName(node)
            .editStatus(
                n -> {
                  n.setStatus(
                      new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                          .withCapacity(capacity)
                          .withAllocatable(capacity)
                          .withConditions(ready(message))
                          .build());
                  return n;
                });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  private static NodeCondition ready(String message) {
    String now = now();
    return new NodeConditionBuilder()
        .withType("Ready")
        .withStatus("True")
        .withReason("KubeletReady")
        .withMessage(message)
        .withLastHeartbeatTime(now)
        .withLastTransitionTime(now)
        .build();
  }

  /**
   * Renews the node's heartbeat Lease (every 10 s keeps the node controller from marking it
   * NotReady); failures are left to the next beat.
   */
  public static void renewLease(KubernetesClient client, String node) {
    try {
      client
          .leases()
          .inNamespace("kube-node-lease")
          .resource(
              new LeaseBuilder()
                  .withNewMetadata()
                  .withName(node)
                  .withNamespace("kube-node-lease")
                  .endMetadata()
                  .withNewSpec()
                  .withHolderIdentity(node)
                  .withLeaseDurationSeconds(40)
                  .withRenewTime(ZonedDateTime.now(java.time.ZoneOffset.UTC))
                  .endSpec()
                  .build())
          .createOr(existing -> existing.update());
    } catch (KubernetesClientException e) {
      // the next beat retries; a stopped server during close() lands here too
    }
  }

  private void handle(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    try {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        // The kubelet confirms a graceful deletion once the containers are gone: at once here.
        client.pods().inNamespace(ns).withName(name).withGracePeriod(0).delete();
      } else if (pod.getSpec().getNodeName() == null) {
        bind(client, pod, NODE);
      } else if (NODE.equals(pod.getSpec().getNodeName()) && !running(pod)) {
        pod.setStatus(runningStatus(pod, mayBeReady(pod)));
        client.pods().resource(pod).updateStatus();
      }
    } catch (KubernetesClientException e) {
      // conflicts and races with the controllers: the informer brings the pod back
    }
  }

  /** Binds an unscheduled pod to {@code node}, as the scheduler would (there is none). */
  public static void bind(KubernetesClient client, Pod pod, String node) {
    String ns = pod.getMetadata().getNamespace();
    client
        .bindings()
        .inNamespace(ns)
        .resource(
            new BindingBuilder()
                .withNewMetadata()
                .withName(pod.getMetadata().getName())
                .withNamespace(ns)
                .endMetadata()
                .withNewTarget()
                .withKind("Node")
                .withName(node)
                .endTarget()
                .build())
        .create();
  }

  /**
   * Lets at most {@code ready} pods of {@code deployment} be Ready (the first by name) and reports
   * the others Running but not Ready, now and for pods created later, until {@link #release}.
   */
  public synchronized void limitReady(Deployment deployment, int ready) {
    String key = key(deployment);
    limitedSelectors.put(key, deployment.getSpec().getSelector().getMatchLabels());
    readyLimits.put(key, ready);
    List<Pod> matching =
        client
            .pods()
            .inNamespace(deployment.getMetadata().getNamespace())
            .withLabels(deployment.getSpec().getSelector().getMatchLabels())
            .list()
            .getItems()
            .stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName()))
            .toList();
    for (int i = 0; i < matching.size(); i++) {
      setStatus(matching.get(i), i < ready);
    }
  }

  /** Lifts every limit in {@code namespace} and reports all its pods Ready; returns how many. */
  public synchronized int release(String namespace) {
    readyLimits.keySet().removeIf(k -> k.startsWith(namespace + "/"));
    limitedSelectors.keySet().removeIf(k -> k.startsWith(namespace + "/"));
    int changed = 0;
    for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
      if (NODE.equals(pod.getSpec().getNodeName())
          && pod.getMetadata().getDeletionTimestamp() == null
          && !ready(pod)) {
        setStatus(pod, true);
        changed++;
      }
    }
    return changed;
  }

  private void setStatus(Pod pod, boolean ready) {
    try {
      pod.setStatus(runningStatus(pod, ready));
      client.pods().resource(pod).updateStatus();
    } catch (KubernetesClientException e) {
      // a pod gone meanwhile: nothing to report
    }
  }

  /**
   * A pod may report Ready unless a limit holds its Deployment's pods and that many are already
   * Ready (pods created after {@link #limitReady}, e.g. once a held-back Deployment scales up, fill
   * the limit first come, first served).
   */
  private synchronized boolean mayBeReady(Pod pod) {
    Integer limit = limit(pod);
    if (limit == null) {
      return true;
    }
    long ready =
        pods.getStore().list().stream()
            .filter(p -> p.getMetadata().getNamespace().equals(pod.getMetadata().getNamespace()))
            .filter(p -> !p.getMetadata().getName().equals(pod.getMetadata().getName()))
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .filter(p -> sameLimit(p, pod))
            .filter(TestingNodeAgent::ready)
            .count();
    return ready < limit;
  }

  private boolean sameLimit(Pod a, Pod b) {
    for (Map<String, String> selector : limitedSelectors.values()) {
      Map<String, String> la = a.getMetadata().getLabels();
      Map<String, String> lb = b.getMetadata().getLabels();
      if (la != null
          && lb != null
          && la.entrySet().containsAll(selector.entrySet())
          && lb.entrySet().containsAll(selector.entrySet())) {
        return true;
      }
    }
    return false;
  }

  private Integer limit(Pod pod) {
    for (Map.Entry<String, Map<String, String>> e : limitedSelectors.entrySet()) {
      Map<String, String> labels = pod.getMetadata().getLabels();
      if (e.getKey().startsWith(pod.getMetadata().getNamespace() + "/")
          && labels != null
          && labels.entrySet().containsAll(e.getValue().entrySet())) {
        return readyLimits.get(e.getKey());
      }
    }
    return null;
  }

  private static String key(Deployment d) {
    return d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static boolean running(Pod pod) {
    return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
  }

  private static io.fabric8.kubernetes.api.model.PodStatus runningStatus(Pod pod, boolean ready) {
    String now = now();
    List<ContainerStatus> containers =
        pod.getSpec().getContainers().stream()
            .map(
                c ->
                    new ContainerStatusBuilder()
                        .withName(c.getName())
                        .withImage(c.getImage())
                        .withImageID(c.getImage())
                        .withReady(ready)
                        .withStarted(true)
                        .withRestartCount(0)
                        .withNewState()
                        .withNewRunning()
                        .withStartedAt(now)
                        .endRunning()
                        .endState()
                        .build())
            .toList();
    List<PodCondition> conditions =
        List.of("PodScheduled", "Initialized", "ContainersReady", "Ready").stream()
            .map(
                t ->
                    new PodConditionBuilder()
                        .withType(t)
                        .withStatus(
                            ready || t.equals("PodScheduled") || t.equals("Initialized")
                                ? "True"
                                : "False")
                        .withLastTransitionTime(now)
                        .build())
            .toList();
    return new io.fabric8.kubernetes.api.model.PodStatusBuilder()
        .withPhase("Running")
        .withHostIP("127.0.0.1")
        .withPodIP("127.0.0.1")
        .withStartTime(now)
        .withConditions(conditions)
        .withContainerStatuses(containers)
        .build();
  }

  private static String now() {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  @Override
  public void close() {
    pods.close();
    heartbeat.shutdownNow();
  }
}
