package dev.logpipe.sandbox;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.clickhouse.ClickHouseDevService;
import dev.logpipe.operator.LogpipeOperator;
import dev.logpipe.operator.config.OperatorConfig;
import dev.logpipe.sandbox.api.Kubeconfig;
import dev.logpipe.sandbox.api.SandboxApiServer;
import dev.logpipe.sandbox.gc.SandboxGarbageCollector;
import dev.logpipe.sandbox.pods.SandboxPodRunner;
import dev.logpipe.sandbox.pods.WorkerClasspath;
import dev.logpipe.sandbox.topics.SandboxTopicController;
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
import java.util.function.Consumer;

/**
 * Everything the sandbox runs, started in order and stopped in reverse: Kafka, Redis and ClickHouse
 * (with a password), the API server and its kubeconfig, the CRDs, the two dev-only stand-ins, the
 * operator (in-process, production defaults except leader election, which a single replica does not
 * need) and the example resources. The log generator is the launcher's business.
 */
public final class Sandbox implements AutoCloseable {
  public static final String CLICKHOUSE_USER = "logpipe";

  private final SandboxOptions options;
  private final Map<String, String> operatorEnv;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private DevServices services;
  private ClickHouseDevService clickhouse;
  private SandboxApiServer api;
  private KubernetesClient client;
  private SandboxPodRunner pods;
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
    try {
      Path dir = options.dir();
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
              });
      services =
          DevServices.start(
              dir.resolve("services"), EnumSet.of(DevServices.Kind.KAFKA, DevServices.Kind.REDIS));
      started.push(services);
      clickhouse = ch.join();
      started.push(clickhouse::stop);
      step.accept(
          "Kafka "
              + services.kafkaBootstrap()
              + ", Redis "
              + services.redisUrl()
              + ", ClickHouse "
              + clickhouse.endpoint());
      api = new SandboxApiServer().start(options.apiPort());
      started.push(api);
      kubeconfig = Kubeconfig.write(dir.resolve("kubeconfig"), api.url(), "team-payments");
      client =
          new KubernetesClientBuilder()
              .withConfig(
                  new ConfigBuilder()
                      .withMasterUrl(api.url())
                      .withNamespace("default")
                      .withRequestRetryBackoffLimit(3)
                      .build())
              .build();
      started.push(client);
      step.accept(
          "Kubernetes API (sandbox) "
              + api.url()
              + ", CRDs: "
              + String.join(
                  ", ", CrdInstaller.install(client, options.repoRoot().resolve("crds"))));
      started.push(
          new SandboxTopicController(client, services.kafkaBootstrap(), Clock.systemUTC()).start());
      pods =
          new SandboxPodRunner(
                  client, dir.resolve("pods"), WorkerClasspath.read(), Clock.systemUTC())
              .start();
      started.push(pods);
      started.push(new SandboxGarbageCollector(client).start());
      step.accept(
          "dev-only stand-ins running: SandboxTopicController (Strimzi), SandboxPodRunner"
              + " (kubelet + Deployment controller), SandboxGarbageCollector");
      LogpipeOperator operator =
          new LogpipeOperator(client, operatorConfig(operatorEnv), meters, Clock.systemUTC());
      operator.start();
      started.push(operator);
      step.accept("operator running in-process (leader election off)");
      SandboxManifests manifests = new SandboxManifests(client, options.repoRoot(), dir);
      manifests.prerequisites(clickhouse.user(), clickhouse.password());
      manifests.backend(services.kafkaBootstrap(), clickhouse.endpoint(), services.redisUrl());
      step.accept("applied ClusterLogBackend default (" + dir.resolve("manifests") + ")");
      if (options.applyPipeline()) {
        pipelineManifest = manifests.pipeline(options.gateway());
        step.accept("applied LogPipeline team-payments/payments (" + pipelineManifest + ")");
      }
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The operator's production defaults, but no leader election: the sandbox runs one replica. */
  static OperatorConfig operatorConfig(Map<String, String> overrides) {
    Map<String, String> env = new java.util.HashMap<>(overrides);
    env.put(OperatorConfig.LEADER_ELECTION, "false");
    env.put(OperatorConfig.HTTP_PORT, "0");
    return OperatorConfig.fromEnv(env);
  }

  /** The operator's meters (JOSDK's reconciliation counters among them). */
  public SimpleMeterRegistry meters() {
    return meters;
  }

  public SandboxApiServer api() {
    return api;
  }

  public KubernetesClient client() {
    return client;
  }

  public SandboxPodRunner pods() {
    return pods;
  }

  public DevServices services() {
    return services;
  }

  public ClickHouseStats clickHouseStats() {
    return new ClickHouseStats(clickhouse.endpoint(), clickhouse.user(), clickhouse.password());
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

  /** PIDs of every child process: the dev services and the pods. */
  public java.util.List<Long> childPids() {
    return ProcessHandle.current().descendants().map(ProcessHandle::pid).toList();
  }

  @Override
  public void close() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        System.err.println("sandbox: stopping " + e.getMessage());
      }
    }
  }
}
