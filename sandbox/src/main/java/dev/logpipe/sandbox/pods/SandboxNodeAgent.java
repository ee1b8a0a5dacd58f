package dev.logpipe.sandbox.pods;

import dev.logpipe.devservices.process.Ports;
import dev.logpipe.operator.testing.TestingNodeAgent;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEV-ONLY stand-in for the kubelet, used by the sandbox and nowhere else: registers the node
 * {@value #NODE} (heart-beating its Lease), binds every unscheduled pod to it (there is no
 * scheduler), runs each pod's first container as a local {@code pipeline-worker} JVM with the
 * container's args, env, ConfigMap and Secret content ({@link PodLaunchFactory}), and writes the
 * pod's real status ({@link PodStatusFactory}): readiness from the probe path, restarts with
 * restartCount and the last exit code, CrashLoopBackOff between restarts. The real ReplicaSet and
 * Deployment controllers do the rest (replicas, rollouts, availability). A pod being deleted gets
 * SIGTERM, SIGKILL after its grace period, and is then removed; how each stopped process ended is
 * kept ({@link #stopped()}). A container's CPU limit is enforced like the CFS quota ({@link
 * CpuLimiter}). Processes are stopped by PID.
 */
public final class SandboxNodeAgent implements AutoCloseable {
  public static final String NODE = "sandbox";
  private static final Logger LOG = LoggerFactory.getLogger(SandboxNodeAgent.class);
  private static final Duration CONFIG_RETRY = Duration.ofSeconds(2);
  private static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final Path baseDir;
  private final String classpath;
  private final Clock clock;
  private final PodLaunchFactory launches;
  private final Map<String, ContainerRun> runs = new ConcurrentHashMap<>();

  /**
   * Every process started and not yet stopped, also those whose pod is already gone from {@link
   * #runs} while they stop: {@link #close()} waits for all of them.
   */
  private final Map<PodProcess, Duration> live = new ConcurrentHashMap<>();

  private final CpuLimiter cpuLimits = new CpuLimiter();
  private final List<StoppedPod> stopped = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "sandbox-node-agent"));
  private final ScheduledExecutorService heartbeat =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "sandbox-node-heartbeat"));
  private SharedIndexInformer<Pod> informer;

  /**
   * @param image the image whose containers run as pipeline-worker processes (the operator's worker
   *     image); pods of other images wait with CreateContainerError
   */
  public SandboxNodeAgent(
      KubernetesClient client, Path baseDir, String classpath, String image, Clock clock) {
    this.client = client;
    this.baseDir = baseDir;
    this.classpath = classpath;
    this.clock = clock;
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
            },
            image);
  }

  public SandboxNodeAgent start() {
    TestingNodeAgent.register(client, NODE, "sandbox node agent: pods run as local processes");
    heartbeat.scheduleWithFixedDelay(
        () -> TestingNodeAgent.renewLease(client, NODE), 0, 10, TimeUnit.SECONDS);
    informer =
        client
            .pods()
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    loop.execute(() -> changed(pod));
                  }

                  @Override
                  public void onUpdate(Pod old, Pod pod) {
                    loop.execute(() -> changed(pod));
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknown) {
                    loop.execute(() -> gone(pod));
                  }
                });
    loop.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    return this;
  }

  /** Every pod whose process runs now, for the launcher's summary and for tests. */
  public List<PodInfo> pods() {
    List<PodInfo> pods = new ArrayList<>();
    for (ContainerRun run : runs.values()) {
      PodProcess process = run.process;
      if (process != null && process.alive()) {
        Map<String, String> labels = run.pod.getMetadata().getLabels();
        pods.add(
            new PodInfo(
                run.pod.getMetadata().getNamespace(),
                run.pod.getMetadata().getName(),
                labels == null ? "" : labels.getOrDefault("app.kubernetes.io/component", ""),
                process.pid(),
                run.port,
                run.ready));
      }
    }
    return pods;
  }

  /** Every pod process stopped because its pod was deleted, in the order they ended. */
  public List<StoppedPod> stopped() {
    return List.copyOf(stopped);
  }

  /** Where the pods' directories and log files are ({@code <namespace>/<pod>/worker.log}). */
  public Path baseDir() {
    return baseDir;
  }

  /** A variable of a running pod's resolved environment (e.g. the gateway token), or null. */
  public String env(PodInfo pod, String key) {
    ContainerRun run = runs.get(pod.namespace() + "/" + pod.name());
    PodProcess process = run == null ? null : run.process;
    return process == null ? null : process.env(key);
  }

  private void changed(Pod pod) {
    try {
      String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
      ContainerRun run = runs.get(key);
      if (run != null && !run.pod.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
        gone(run.pod); // a new pod of the same name: the old one is gone
        run = null;
      }
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        terminate(pod, run);
      } else if (pod.getSpec().getNodeName() == null) {
        TestingNodeAgent.bind(client, pod, NODE);
      } else if (NODE.equals(pod.getSpec().getNodeName()) && run == null) {
        run = new ContainerRun(pod, clock.instant(), Ports.free());
        runs.put(key, run);
        LOG.info("event=pod_accepted pod={}", key);
        step(run);
      }
    } catch (KubernetesClientException e) {
      // a race with the controllers (a pod bound or deleted meanwhile): the informer brings it back
      LOG.debug("event=pod_event_failed error=\"{}\"", e.getMessage());
    }
  }

  private void tick() {
    for (ContainerRun run : List.copyOf(runs.values())) {
      try {
        step(run);
      } catch (RuntimeException e) {
        LOG.warn("event=pod_step_failed pod={} error=\"{}\"", run.key(), e.toString(), e);
      }
    }
  }

  /** One kubelet sync of a pod: notice an exit, probe, start when due, report the status. */
  private void step(ContainerRun run) {
    if (run.deleting) {
      return;
    }
    Instant now = clock.instant();
    PodProcess process = run.process;
    if (process != null) {
      OptionalInt exit = process.exitCode();
      if (exit.isPresent()) {
        LOG.warn(
            "event=container_exited pod={} pid={} exit_code={} log={} tail=\n{}",
            run.key(),
            process.pid(),
            exit.getAsInt(),
            process.logFile(),
            process.logTail());
        live.remove(process);
        run.exited(exit.getAsInt(), now);
      } else {
        run.probed(process.probe(), now, failureThreshold(run.pod));
      }
    }
    if (run.due(now)) {
      startContainer(run, now);
    }
    PodStatus status = PodStatusFactory.of(run.pod, run.snapshot());
    if (!status.equals(run.written)) {
      writeStatus(run, status);
    }
  }

  private void startContainer(ContainerRun run, Instant now) {
    Pod pod = run.pod;
    String name = pod.getMetadata().getName();
    Path podDir = baseDir.resolve(pod.getMetadata().getNamespace()).resolve(name);
    try {
      PodLaunch launch =
          launches.create(pod.getMetadata().getNamespace(), name, pod.getSpec(), podDir, run.port);
      PodProcess process = PodProcess.start(launch, classpath, now);
      live.put(process, grace(pod));
      if (process.cpuMillicores() > 0) {
        cpuLimits.limit(process.pid(), process.cpuMillicores());
      }
      run.started(process, process.pid(), now);
      LOG.info(
          "event=container_started pod={} pid={} port={} restarts={} log={}",
          run.key(),
          process.pid(),
          run.port,
          run.restartCount(),
          process.logFile());
      annotate(run, process);
    } catch (PodLaunchFactory.NotStartable e) {
      if (!e.getMessage().equals(run.snapshot().waitingMessage())) {
        LOG.warn(
            "event=container_not_startable pod={} reason={} message=\"{}\"",
            run.key(),
            e.reason(),
            e.getMessage());
      }
      run.notStartable(e.reason(), e.getMessage(), now, CONFIG_RETRY);
    }
  }

  /** Where the process is, for a person: the API has no logs or exec without a kubelet server. */
  private void annotate(ContainerRun run, PodProcess process) {
    try {
      client
          .pods()
          .inNamespace(run.pod.getMetadata().getNamespace())
          .withName(run.pod.getMetadata().getName())
          .edit(
              p -> {
                if (p.getMetadata().getAnnotations() == null) {
                  p.getMetadata().setAnnotations(new java.util.HashMap<>());
                }
                p.getMetadata()
                    .getAnnotations()
                    .putAll(
                        Map.of(
                            PodInfo.PID, String.valueOf(process.pid()),
                            PodInfo.PORT, String.valueOf(run.port),
                            PodInfo.LOG_FILE, process.logFile().toString()));
                return p;
              });
    } catch (KubernetesClientException e) {
      LOG.debug("event=pod_annotate_failed pod={} error=\"{}\"", run.key(), e.getMessage());
    }
  }

  private void writeStatus(ContainerRun run, PodStatus status) {
    try {
      client
          .pods()
          .inNamespace(run.pod.getMetadata().getNamespace())
          .withName(run.pod.getMetadata().getName())
          .editStatus(
              p -> {
                p.setStatus(status);
                return p;
              });
      run.written = status;
    } catch (KubernetesClientException e) {
      // gone or being deleted meanwhile; the next tick tries again while the pod is ours
      LOG.debug("event=pod_status_failed pod={} error=\"{}\"", run.key(), e.getMessage());
    }
  }

  /**
   * A graceful deletion: SIGTERM, SIGKILL after the grace period the deletion asked for, then the
   * pod is removed (grace 0), as the kubelet confirms once the containers are gone.
   */
  private void terminate(Pod pod, ContainerRun run) {
    if (run == null) {
      if (!NODE.equals(pod.getSpec().getNodeName()) && pod.getSpec().getNodeName() != null) {
        return; // another node's pod (there is none, but it is not ours to remove)
      }
      remove(pod);
      return;
    }
    if (run.deleting) {
      return;
    }
    run.deleting = true;
    Long seconds = pod.getMetadata().getDeletionGracePeriodSeconds();
    Duration grace = seconds == null ? grace(pod) : Duration.ofSeconds(seconds);
    PodProcess process = run.process;
    LOG.info(
        "event=pod_terminating pod={} pid={} grace_seconds={}",
        run.key(),
        process == null ? "none" : process.pid(),
        grace.toSeconds());
    Thread stopper =
        new Thread(
            () -> {
              if (process != null) {
                stop(run, process, grace);
              }
              remove(pod);
              try {
                loop.execute(() -> runs.remove(run.key(), run));
              } catch (java.util.concurrent.RejectedExecutionException closed) {
                runs.remove(run.key(), run); // the agent closed meanwhile
              }
            },
            "stop-" + pod.getMetadata().getName());
    stopper.start();
  }

  /** Deleted outright (grace 0 or force): stop the process too, still with its grace period. */
  private void gone(Pod pod) {
    String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    ContainerRun run = runs.get(key);
    if (run == null || !run.pod.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
      return;
    }
    runs.remove(key, run);
    PodProcess process = run.process;
    if (process != null && !run.deleting) {
      run.deleting = true;
      new Thread(() -> stop(run, process, grace(pod)), "stop-" + pod.getMetadata().getName())
          .start();
    }
  }

  /** SIGTERM, SIGKILL after {@code grace}; remembers how the process ended. */
  private void stop(ContainerRun run, PodProcess process, Duration grace) {
    Instant signalled = clock.instant();
    process.stop(grace);
    live.remove(process);
    int exit = process.exitCode().orElse(-1);
    Duration took = Duration.between(signalled, clock.instant());
    Map<String, String> labels = run.pod.getMetadata().getLabels();
    stopped.add(
        new StoppedPod(
            run.pod.getMetadata().getNamespace(),
            run.pod.getMetadata().getName(),
            labels == null ? "" : labels.getOrDefault("app.kubernetes.io/component", ""),
            process.pid(),
            exit,
            grace,
            took));
    LOG.info(
        "event=container_stopped pod={} pid={} exit_code={} grace_seconds={} took_ms={}",
        run.key(),
        process.pid(),
        exit,
        grace.toSeconds(),
        took.toMillis());
  }

  private void remove(Pod pod) {
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .withGracePeriod(0)
          .delete();
    } catch (KubernetesClientException e) {
      LOG.debug(
          "event=pod_remove_failed pod={} error=\"{}\"",
          pod.getMetadata().getName(),
          e.getMessage());
    }
  }

  private static Duration grace(Pod pod) {
    Long seconds = pod.getSpec().getTerminationGracePeriodSeconds();
    return seconds == null ? DEFAULT_GRACE : Duration.ofSeconds(seconds);
  }

  private static int failureThreshold(Pod pod) {
    Probe probe = pod.getSpec().getContainers().get(0).getReadinessProbe();
    return probe == null || probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold();
  }

  /** Stops the loop and every process (SIGTERM, SIGKILL after the grace period), by PID. */
  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    heartbeat.shutdownNow();
    loop.shutdownNow();
    try {
      loop.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Thread> threads = new ArrayList<>();
    for (Map.Entry<PodProcess, Duration> entry : live.entrySet()) {
      PodProcess process = entry.getKey();
      Duration grace = entry.getValue();
      // one thread per pod: each may take its grace period to store its in-flight batch
      Thread t =
          new Thread(
              () -> {
                process.stop(grace);
                live.remove(process);
              },
              "stop-" + process.name());
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
    runs.clear();
    cpuLimits.close(); // after the stops: a stopping process still gets its CPU within its limit
  }
}
