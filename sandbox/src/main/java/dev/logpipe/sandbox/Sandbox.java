package dev.logpipe.sandbox;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.clickhouse.ClickHouseDevService;
import dev.logpipe.devservices.kube.KubeBinaries;
import dev.logpipe.devservices.kube.KubeControlPlane;
import dev.logpipe.operator.LogpipeOperator;
import dev.logpipe.operator.config.OperatorConfig;
import dev.logpipe.operator.testing.TestingKubeApiServer;
import dev.logpipe.sandbox.pods.SandboxNodeAgent;
import dev.logpipe.sandbox.pods.WorkerClasspath;
import dev.logpipe.sandbox.topics.SandboxTopicController;
import dev.logpipe.sandbox.users.SandboxUserController;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Everything the sandbox runs, started in order and stopped in reverse: Kafka, Redis and ClickHouse
 * (with a password) next to a real Kubernetes control plane (etcd, kube-apiserver,
 * kube-controller-manager: {@link KubeControlPlane}), the CRDs installed through it, the two
 * dev-only stand-ins (Strimzi's topic operator, the kubelet), the operator (in-process, production
 * defaults, leader election on a real Lease included, as the chart's ServiceAccount with the
 * chart's RBAC) and the example resources. The log generator is the launcher's business.
 */
public final class Sandbox implements AutoCloseable {
  public static final String CLICKHOUSE_USER = "logpipe";

  private final SandboxOptions options;
  private final Map<String, String> operatorEnv;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final OperatorRequests operatorRequests = new OperatorRequests();
  private DevServices services;
  private ClickHouseDevService clickhouse;
  private KubeControlPlane kube;
  private KubernetesClient client;
  private SandboxNodeAgent pods;
  private volatile LogpipeOperator operator;
  private java.util.Set<Long> before = java.util.Set.of();
  private KubernetesClient operatorClient;
  private OperatorConfig operatorConfig;
  private volatile boolean closing;
  private final java.util.concurrent.atomic.AtomicInteger operatorRestarts =
      new java.util.concurrent.atomic.AtomicInteger();
  private Path kubeconfig;
  private Path pipelineManifest;
  private final String clickHousePassword =
      HexFormat.of().formatHex(new SecureRandom().generateSeed(12));

  public Sandbox(SandboxOptions options) {
    this(options, Map.of());
  }

  /**
   * @param operatorEnv operator settings over the production defaults ({@link OperatorConfig}
   *     variables), e.g. a short resync period in a test
   */
  public Sandbox(SandboxOptions options, Map<String, String> operatorEnv) {
    this.options = options;
    this.operatorEnv = Map.copyOf(operatorEnv);
  }

  /**
   * Starts everything; {@code step} hears each step as it completes. Closes what started on
   * failure.
   */
  public Sandbox start(Consumer<String> step) {
    before =
        ProcessHandle.current()
            .descendants()
            .map(ProcessHandle::pid)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    ExecutorService starters = Executors.newFixedThreadPool(2);
    try {
      Path dir = options.dir();
      // Every run starts from an empty cluster, as it starts from empty Kafka and ClickHouse.
      Path kubeDir = deleteTree(dir.resolve("kube"));
      kube = new KubeControlPlane(kubeDir, true, options.apiPort());
      started.push(kube::stop);
      // The control plane and ClickHouse start beside Kafka and Redis: the common pool may have
      // one thread on a 2-core machine, so they get their own.
      CompletableFuture<Void> kubeStarted = CompletableFuture.runAsync(kube::start, starters);
      CompletableFuture<ClickHouseDevService> ch =
          CompletableFuture.supplyAsync(
              () -> {
                // LOGPIPE_CLICKHOUSE_URL: a real clickhouse-server and its credentials instead.
                ClickHouseDevService s =
                    ClickHouseDevService.externalConfigured()
                        ? ClickHouseDevService.fromEnvironment(null)
                        : ClickHouseDevService.withPassword(
                            dir.resolve("clickhouse"), CLICKHOUSE_USER, clickHousePassword);
                s.start();
                return s;
              },
              starters);
      services =
          DevServices.start(
              dir.resolve("services"), EnumSet.of(DevServices.Kind.KAFKA, DevServices.Kind.REDIS));
      started.push(services);
      clickhouse = join(ch);
      started.push(clickhouse::stop);
      step.accept(
          "Kafka "
              + services.kafkaBootstrap()
              + ", Redis "
              + services.redisUrl()
              + ", ClickHouse "
              + clickhouse.endpoint());
      join(kubeStarted);
      client = new KubernetesClientBuilder().withConfig(adminConfig()).build();
      started.push(client);
      kubeconfig =
          UserKubeconfig.write(kube.kubeconfig(), dir.resolve("kubeconfig"), "team-payments");
      step.accept(
          "Kubernetes "
              + KubeBinaries.KUBERNETES_VERSION
              + " (etcd, kube-apiserver, kube-controller-manager) "
              + kube.endpoint()
              + ", CRDs Established: "
              + String.join(
                  ", ", CrdInstaller.install(client, options.repoRoot().resolve("crds"))));
      OperatorConfig config = operatorConfig(operatorEnv);
      // The operator as the Helm chart installs it: its ServiceAccount, bound to the chart's
      // rendered RBAC, so a permission the chart lacks is a real 403 here too. Rendering the
      // chart (helm-java) takes seconds on a busy machine: beside the stand-ins' start.
      CompletableFuture<String> operatorToken =
          CompletableFuture.supplyAsync(
              () -> TestingKubeApiServer.serviceAccountToken(client, config.operatorNamespace()),
              starters);
      started.push(
          new SandboxTopicController(client, services.kafkaBootstrap(), Clock.systemUTC()).start());
      started.push(
          new SandboxUserController(client, services.kafkaBootstrap(), Clock.systemUTC()).start());
      pods =
          new SandboxNodeAgent(
                  client,
                  dir.resolve("pods"),
                  WorkerClasspath.read(),
                  config.workerImage().image(),
                  Clock.systemUTC())
              .start();
      started.push(pods);
      step.accept(
          "dev-only stand-ins running: SandboxTopicController (Strimzi's topic operator),"
              + " SandboxUserController (Strimzi's user operator),"
              + " SandboxNodeAgent (the kubelet of node "
              + SandboxNodeAgent.NODE
              + ")");
      SandboxManifests manifests = new SandboxManifests(client, options.repoRoot(), dir);
      manifests.prerequisites(clickhouse.user(), clickhouse.password());
      Config clientConfig = adminConfig();
      clientConfig.setOauthToken(join(operatorToken));
      operatorClient =
          new KubernetesClientBuilder()
              .withConfig(clientConfig)
              .withHttpClientBuilderConsumer(
                  h -> h.addOrReplaceInterceptor("logpipe-sandbox-requests", operatorRequests))
              .build();
      started.push(operatorClient);
      operatorConfig = config;
      operator = newOperator();
      operator.start();
      started.push(this::closeOperator);
      step.accept(
          "operator running in-process as ServiceAccount "
              + config.operatorNamespace()
              + "/"
              + TestingKubeApiServer.SERVICE_ACCOUNT
              + " (the chart's RBAC), leader election on");
      String scram = options.kafkaScram() ? services.kafkaScramBootstrap() : null;
      manifests.backend(
          services.kafkaBootstrap(), scram, clickhouse.endpoint(), services.redisUrl());
      step.accept(
          "applied ClusterLogBackend default ("
              + dir.resolve("manifests")
              + "); Kafka "
              + (scram != null
                  ? "with per-pipeline SCRAM-SHA-512 users on " + scram
                  : "in plaintext without users (--kafka-plaintext)"));
      if (options.applyPipeline()) {
        pipelineManifest = manifests.pipeline(options.gateway());
        step.accept("applied LogPipeline team-payments/payments (" + pipelineManifest + ")");
      }
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    } finally {
      starters.shutdown();
    }
  }

  private static Path deleteTree(Path dir) {
    if (java.nio.file.Files.exists(dir)) {
      try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot clear " + dir, e);
      }
    }
    return dir;
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private Config adminConfig() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(kube.endpoint())
        .withCaCertFile(kube.caBundle().toString())
        .withOauthToken(kube.adminToken())
        .withNamespace("default")
        .withRequestRetryBackoffLimit(3)
        .build();
  }

  private LogpipeOperator newOperator() {
    return new LogpipeOperator(
        operatorClient, operatorConfig, meters, Clock.systemUTC(), this::leadershipLost);
  }

  /**
   * Where production exits and its Deployment starts a new pod, the sandbox stops the operator and
   * starts a new one in-process (a new Lease identity, its state rebuilt from the API server like a
   * new pod's), and says so. A Lease is lost when the API server does not answer the renewals
   * within the renew deadline (10 s), e.g. on a laptop whose two cores the workers saturate.
   */
  private void leadershipLost() {
    System.err.println(
        "sandbox: the operator lost its leader Lease (another identity took it, or the API server"
            + " did not answer the renewals within the renew deadline); starting a new one, as its"
            + " Deployment would.");
    new Thread(this::restartOperator, "sandbox-operator-restart").start();
  }

  private synchronized void restartOperator() {
    if (closing) {
      return;
    }
    LogpipeOperator lost = operator;
    if (lost != null) {
      lost.close();
    }
    try {
      operator = newOperator();
      operator.start();
    } catch (RuntimeException e) {
      // E.g. the API server still unreachable: as a crash-looping pod, try again a little later.
      System.err.println("sandbox: the new operator did not start (" + e + "); retrying in 5 s");
      operator = null;
      CompletableFuture.delayedExecutor(5, TimeUnit.SECONDS)
          .execute(() -> new Thread(this::restartOperator, "sandbox-operator-restart").start());
      return;
    }
    System.err.println(
        "sandbox: operator restarted ("
            + operatorRestarts.incrementAndGet()
            + " restart(s) since the sandbox started)");
  }

  private synchronized void closeOperator() {
    closing = true;
    if (operator != null) {
      operator.close();
    }
  }

  /** How often the operator was restarted after losing its Lease (a test prints it). */
  public int operatorRestarts() {
    return operatorRestarts.get();
  }

  /** The operator's production defaults; only its HTTP port is a free one. */
  static OperatorConfig operatorConfig(Map<String, String> overrides) {
    Map<String, String> env = new java.util.HashMap<>(overrides);
    env.putIfAbsent(OperatorConfig.HTTP_PORT, "0");
    return OperatorConfig.fromEnv(env);
  }

  /** The operator's meters (JOSDK's reconciliation counters among them). */
  public SimpleMeterRegistry meters() {
    return meters;
  }

  /** The operator's write requests (Lease renewals aside) and 403s so far. */
  public OperatorRequests operatorRequests() {
    return operatorRequests;
  }

  public KubeControlPlane controlPlane() {
    return kube;
  }

  public KubernetesClient client() {
    return client;
  }

  public SandboxNodeAgent pods() {
    return pods;
  }

  public DevServices services() {
    return services;
  }

  public ClickHouseStats clickHouseStats() {
    return new ClickHouseStats(clickhouse.endpoint(), clickhouse.user(), clickhouse.password());
  }

  /** The operator running in-process (its autoscaler's decisions, for tests). */
  public LogpipeOperator operator() {
    return operator;
  }

  /** The ClickHouse server, so a test can kill and restart it (an outage). */
  public ClickHouseDevService clickHouse() {
    return clickhouse;
  }

  public String clickHouseUrl() {
    return clickhouse.endpoint();
  }

  public String clickHouseUser() {
    return clickhouse.user();
  }

  public String clickHousePassword() {
    return clickhouse.password();
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public Path pipelineManifest() {
    return pipelineManifest;
  }

  /**
   * PIDs of every process the sandbox started and still runs: the dev services, the control plane
   * and the pods. Processes of this JVM that were there before (e.g. services another test shares)
   * are not the sandbox's.
   */
  public java.util.List<Long> childPids() {
    return ProcessHandle.current()
        .descendants()
        .map(ProcessHandle::pid)
        .filter(pid -> !before.contains(pid))
        .toList();
  }

  @Override
  public void close() {
    closing = true;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        System.err.println("sandbox: stopping " + e.getMessage());
      }
    }
  }
}
