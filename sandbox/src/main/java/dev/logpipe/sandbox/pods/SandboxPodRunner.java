package dev.logpipe.sandbox.pods;

import dev.logpipe.devservices.process.Ports;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEV-ONLY stand-in for the kubelet and the Deployment controller, used by the sandbox and nowhere
 * else: runs each logpipe Deployment's replicas ({@code app.kubernetes.io/part-of=logpipe}) as
 * {@code pipeline-worker} child JVMs with the container's args, env, ConfigMap and Secret content
 * ({@link PodLaunchFactory}), rolls them when the pod template changes ({@link RolloutStep}),
 * replaces pods that exit, and keeps the Deployment's status truthful from each process's readiness
 * endpoint ({@link DeploymentStatusFactory}). Processes are stopped by PID.
 */
public final class SandboxPodRunner implements AutoCloseable {
  public static final String PART_OF = "app.kubernetes.io/part-of";
  private static final Logger LOG = LoggerFactory.getLogger(SandboxPodRunner.class);
  private static final Duration GRACE = Duration.ofSeconds(20);

  private final KubernetesClient client;
  private final Path baseDir;
  private final String classpath;
  private final Clock clock;
  private final PodLaunchFactory launches;
  private final PodObjects podObjects;
  private final Map<String, DeploymentPods> deployments = new ConcurrentHashMap<>();
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "sandbox-pod-runner"));
  private SharedIndexInformer<Deployment> informer;

  public SandboxPodRunner(KubernetesClient client, Path baseDir, String classpath, Clock clock) {
    this.client = client;
    this.baseDir = baseDir;
    this.classpath = classpath;
    this.clock = clock;
    this.podObjects = new PodObjects(client);
    this.launches =
        new PodLaunchFactory(
            new PodLaunchFactory.Objects() {
              @Override
              public Secret secret(String namespace, String name) {
                return client.secrets().inNamespace(namespace).withName(name).get();
              }

              @Override
              public ConfigMap configMap(String namespace, String name) {
                return client.configMaps().inNamespace(namespace).withName(name).get();
              }
            });
  }

  public SandboxPodRunner start() {
    informer = client.apps().deployments().inAnyNamespace().withLabel(PART_OF, "logpipe").inform();
    loop.scheduleWithFixedDelay(this::tick, 0, 1, TimeUnit.SECONDS);
    return this;
  }

  /** Every pod now running, for the launcher's summary and for tests. */
  public List<PodInfo> pods() {
    List<PodInfo> pods = new ArrayList<>();
    for (DeploymentPods d : deployments.values()) {
      synchronized (d) {
        for (PodProcess p : d.pods) {
          if (p.alive()) {
            pods.add(
                new PodInfo(
                    d.namespace, d.name, p.name(), component(d), p.pid(), p.port(), p.ready()));
          }
        }
      }
    }
    return pods;
  }

  /** A variable of a running pod's resolved environment (e.g. the gateway token), or null. */
  public String env(PodInfo pod, String key) {
    for (DeploymentPods d : deployments.values()) {
      synchronized (d) {
        for (PodProcess p : d.pods) {
          if (p.name().equals(pod.name())) {
            return p.env(key);
          }
        }
      }
    }
    return null;
  }

  private String component(DeploymentPods d) {
    Deployment deployment = informer.getStore().getByKey(d.namespace + "/" + d.name);
    if (deployment == null || deployment.getMetadata().getLabels() == null) {
      return "";
    }
    return deployment.getMetadata().getLabels().getOrDefault("app.kubernetes.io/component", "");
  }

  private void tick() {
    try {
      Map<String, Deployment> current =
          informer.getStore().list().stream()
              .collect(
                  Collectors.toMap(
                      d -> d.getMetadata().getNamespace() + "/" + d.getMetadata().getName(),
                      d -> d));
      for (String key : Set.copyOf(deployments.keySet())) {
        if (!current.containsKey(key)) {
          DeploymentPods gone = deployments.remove(key);
          stopAll(gone);
          LOG.info("event=deployment_gone deployment={}", key);
        }
      }
      current.forEach(
          (key, d) ->
              reconcile(
                  deployments.computeIfAbsent(
                      key,
                      k ->
                          new DeploymentPods(
                              d.getMetadata().getNamespace(), d.getMetadata().getName())),
                  d));
    } catch (RuntimeException e) {
      LOG.warn("event=tick_failed error=\"{}\"", e.toString(), e);
    }
  }

  private void reconcile(DeploymentPods state, Deployment d) {
    Instant now = clock.instant();
    String hash = templateHash(d);
    int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    synchronized (state) {
      if (!hash.equals(state.templateHash)) {
        state.templateHash = hash;
        state.rolloutStarted = now;
      }
      state.pods.forEach(PodProcess::probe);
      RolloutStep<PodProcess> step = RolloutStep.plan(desired, hash, state.pods);
      for (PodProcess pod : step.stop()) {
        if (pod.alive()) {
          LOG.info("event=pod_stopping pod={} pid={}", pod.name(), pod.pid());
          pod.stop(GRACE);
        } else {
          LOG.warn(
              "event=pod_exited pod={} pid={} log={} tail=\n{}",
              pod.name(),
              pod.pid(),
              pod.logFile(),
              pod.logTail());
          state.exited(pod, now);
        }
        state.pods.remove(pod);
        state.reportedReady.remove(pod.name());
        podObjects.delete(state.namespace, pod.name());
      }
      if (step.start() > 0 && !now.isBefore(state.nextStart)) {
        for (int i = 0; i < step.start(); i++) {
          startPod(state, d, hash, now);
        }
      }
      for (PodProcess pod : state.pods) {
        if (!Objects.equals(state.reportedReady.put(pod.name(), pod.ready()), pod.ready())) {
          podObjects.write(d, pod);
        }
      }
      long generation =
          d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
      DeploymentStatus status =
          DeploymentStatusFactory.of(
              generation, desired, state.pods, hash, state.rolloutStarted, now, d.getStatus());
      if (changed(d.getStatus(), status)) {
        writeStatus(d, status);
      }
    }
  }

  private void startPod(DeploymentPods state, Deployment d, String hash, Instant now) {
    String podName = d.getMetadata().getName() + "-" + hash.substring(0, 10) + "-" + suffix();
    Path podDir = baseDir.resolve(state.namespace).resolve(podName);
    try {
      PodLaunch launch =
          launches.create(
              state.namespace, podName, d.getSpec().getTemplate().getSpec(), podDir, Ports.free());
      PodProcess pod = PodProcess.start(launch, hash, classpath, now);
      state.pods.add(pod);
      state.lastProblem = null;
      LOG.info(
          "event=pod_started pod={} pid={} port={} log={}",
          podName,
          pod.pid(),
          pod.port(),
          pod.logFile());
    } catch (PodLaunchFactory.NotStartable e) {
      if (!e.getMessage().equals(state.lastProblem)) {
        LOG.warn(
            "event=pod_not_startable deployment={}/{} reason=\"{}\"",
            state.namespace,
            state.name,
            e.getMessage());
      }
      state.lastProblem = e.getMessage();
      state.nextStart = now.plusSeconds(2);
    }
  }

  private void writeStatus(Deployment d, DeploymentStatus status) {
    try {
      client
          .apps()
          .deployments()
          .inNamespace(d.getMetadata().getNamespace())
          .withName(d.getMetadata().getName())
          .edit(
              current -> {
                current.setStatus(status);
                return current;
              });
    } catch (RuntimeException e) {
      LOG.debug(
          "event=status_failed deployment={} error=\"{}\"",
          d.getMetadata().getName(),
          e.getMessage());
    }
  }

  /** Equal ignoring condition timestamps, which the factory carries over anyway. */
  static boolean changed(DeploymentStatus old, DeploymentStatus now) {
    if (old == null) {
      return true;
    }
    return !Objects.equals(old.getObservedGeneration(), now.getObservedGeneration())
        || !Objects.equals(old.getReplicas(), now.getReplicas())
        || !Objects.equals(old.getReadyReplicas(), now.getReadyReplicas())
        || !Objects.equals(old.getAvailableReplicas(), now.getAvailableReplicas())
        || !Objects.equals(old.getUpdatedReplicas(), now.getUpdatedReplicas())
        || !Objects.equals(conditions(old), conditions(now));
  }

  private static List<String> conditions(DeploymentStatus s) {
    return s.getConditions() == null
        ? List.of()
        : s.getConditions().stream()
            .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
            .toList();
  }

  static String templateHash(Deployment d) {
    String json =
        io.fabric8.kubernetes.client.utils.Serialization.asJson(d.getSpec().getTemplate());
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String suffix() {
    String chars = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder b = new StringBuilder();
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    for (int i = 0; i < 5; i++) {
      b.append(chars.charAt(r.nextInt(chars.length())));
    }
    return b.toString();
  }

  private void stopAll(DeploymentPods state) {
    synchronized (state) {
      stopInParallel(state.pods);
      state.pods.forEach(p -> podObjects.delete(state.namespace, p.name()));
      state.pods.clear();
    }
  }

  /** Stops the loop and every pod (SIGTERM, then SIGKILL after the grace period), by PID. */
  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(GRACE.toSeconds() + 5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (informer != null) {
      informer.close();
    }
    List<PodProcess> all = new ArrayList<>();
    deployments.values().forEach(d -> all.addAll(d.pods));
    stopInParallel(all);
    deployments.clear();
  }

  /** One thread per pod: each may take its grace period to store its in-flight batch. */
  private static void stopInParallel(List<PodProcess> pods) {
    List<Thread> threads = new ArrayList<>();
    for (PodProcess pod : pods) {
      Thread t = new Thread(() -> pod.stop(GRACE), "stop-" + pod.name());
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
