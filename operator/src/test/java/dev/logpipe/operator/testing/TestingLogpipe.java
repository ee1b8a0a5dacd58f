package dev.logpipe.operator.testing;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.operator.LogpipeOperator;
import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.api.v1alpha1.LogPipelineSpec;
import dev.logpipe.operator.config.OperatorConfig;
import dev.logpipe.operator.logging.KeyValueLogFormatter;
import dev.logpipe.operator.model.CredentialRotation;
import dev.logpipe.operator.model.WorkerImage;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import org.awaitility.Awaitility;

/**
 * One operator (production wiring, {@link LogpipeOperator}) against {@link TestingKubernetes}, with
 * the operator's namespace, the Strimzi namespace, a ClickHouse Secret and helpers to create
 * backends and pipelines and to play Strimzi and the kubelet (mark children ready).
 */
public final class TestingLogpipe implements AutoCloseable {
  public static final String OPERATOR_NS = "logpipe-system";
  public static final String STRIMZI_NS = "kafka";
  public static final Map<String, String> ALLOWED = Map.of("logging", "enabled");

  private final TestingCluster cluster;
  // The mock and its request recorder, or null on a real API server.
  private final TestingKubernetes kubernetes;
  // The kubelet stand-in on a real API server, or null on the mock.
  private final TestingNodeAgent nodeAgent;
  private final OperatorConfig config;
  private final TestingRbac rbac;
  private final LogpipeOperator operator;
  private final TestingChildren children;
  private final AtomicInteger leadershipLost = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicBoolean operatorStopped =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final List<LogpipeOperator> replicas = new java.util.concurrent.CopyOnWriteArrayList<>();

  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  /** Tests: {@code threads} reconcile threads and a 10 s resync, so recovery shows quickly. */
  public TestingLogpipe(MeterRegistry registry, int threads) {
    this(registry, threads, Duration.ofSeconds(10));
  }

  /** The operator with {@code threads} reconcile threads and the given resync period. */
  public TestingLogpipe(MeterRegistry registry, int threads, Duration resync) {
    this(registry, config(threads, resync));
  }

  /** The operator with {@code config}; see {@link #config} for the tests' usual one. */
  public TestingLogpipe(MeterRegistry registry, OperatorConfig config) {
    this(new TestingKubernetes(), registry, config);
  }

  /**
   * The tests' usual operator (4 threads, 10 s resync) on a real control plane ({@link
   * TestingKubeApiServer}) with the chart's RBAC and a {@link TestingNodeAgent}.
   */
  public static TestingLogpipe onRealServer() {
    return new TestingLogpipe(
        new TestingKubeApiServer(), new SimpleMeterRegistry(), config(4, Duration.ofSeconds(10)));
  }

  /** The operator with {@code config} on {@code cluster}. */
  public TestingLogpipe(TestingCluster cluster, MeterRegistry registry, OperatorConfig config) {
    this.cluster = cluster;
    this.kubernetes = cluster instanceof TestingKubernetes mock ? mock : null;
    KeyValueLogFormatter.install(Level.INFO);
    MOCK_LOG.setLevel(Level.WARNING);
    // Conditions are null until the first status arrives: keep polling instead of failing.
    Awaitility.ignoreExceptionsByDefault();
    this.config = config;
    this.rbac = new TestingRbac(config);
    if (kubernetes != null) {
      kubernetes.recorder().rules(rbac::rulesIn);
    }
    KubernetesClient client = cluster.client();
    cluster.namespace(config.operatorNamespace(), Map.of());
    cluster.namespace(STRIMZI_NS, Map.of());
    nodeAgent = cluster.real() ? new TestingNodeAgent(client) : null;
    operator =
        new LogpipeOperator(
            cluster.operatorClient(config.operatorNamespace()),
            config,
            registry,
            Clock.systemUTC(),
            () -> leadershipLost.incrementAndGet());
    children = new TestingChildren(client, nodeAgent);
    operator.start();
  }

  /**
   * Every namespace watched, KafkaTopics in {@link #STRIMZI_NS}, leader election off, the
   * operator's namespace {@link #OPERATOR_NS}.
   */
  public static OperatorConfig config(int threads, Duration resync) {
    return new OperatorConfig(
        Set.of(),
        Set.of(STRIMZI_NS),
        threads,
        resync,
        new WorkerImage("ghcr.io/logpipe/pipeline-worker:test", "IfNotPresent"),
        OPERATOR_NS,
        false,
        OperatorConfig.LEASE_NAME,
        0);
  }

  public TestingLogpipe() {
    this(new SimpleMeterRegistry(), 4);
  }

  public KubernetesClient client() {
    return cluster.client();
  }

  /** The cluster the operator runs against (the mock, or a real API server). */
  public TestingCluster cluster() {
    return cluster;
  }

  private TestingKubernetes mock(String what) {
    if (kubernetes == null) {
      throw new IllegalStateException(what + " is recorded by the mock API server only");
    }
    return kubernetes;
  }

  public OperatorConfig config() {
    return config;
  }

  public TestingRbac rbac() {
    return rbac;
  }

  /** What the operator's client asked of the API so far (the test's own requests excluded). */
  public Map<ApiCall, Long> operatorCalls() {
    return mock("operatorCalls").recorder().operatorCalls();
  }

  /** Every write to a LogPipeline so far, by the operator or the test, with what it changed. */
  public List<TestingApiRecorder.PipelineWrite> pipelineWrites() {
    return mock("pipelineWrites").recorder().pipelineWrites();
  }

  /** The recorder in front of the mock API server (see {@link TestingApiRecorder}). */
  public TestingApiRecorder recorder() {
    return mock("recorder").recorder();
  }

  /** How often the operator was told it lost the leader Lease. */
  public int leadershipLost() {
    return leadershipLost.get();
  }

  public Map<String, Long> requestCounts() {
    return mock("requestCounts").dispatcher().requestCounts();
  }

  public TestingChildren children() {
    return children;
  }

  public void namespace(String name, boolean allowed) {
    cluster.namespace(name, allowed ? ALLOWED : Map.of());
  }

  /**
   * Secret {@code clickhouse-admin} with the dev ClickHouse's credentials (an external server's
   * from {@code LOGPIPE_CLICKHOUSE_URL}, or the local one's).
   */
  public void clickHouseSecret(DevServices services) {
    secret("clickhouse-admin", services.clickhouse().user(), services.clickhouse().password());
  }

  /**
   * Backend {@code default} on the dev services' ClickHouse (credentials in Secret {@code
   * clickhouse-admin}) and Redis: what most tests build their pipelines on.
   */
  public ClusterLogBackend defaultBackend(DevServices services) {
    clickHouseSecret(services);
    return backend("default", services.clickHouseUrl(), "clickhouse-admin", services.redisUrl());
  }

  /**
   * {@link #defaultBackend} with Kafka authentication on ({@code spec.kafka.authentication},
   * SCRAM-SHA-512 on {@code bootstrap}): each pipeline gets its KafkaUsers, which {@link
   * TestingChildren#markUsersReady} makes Ready as Strimzi's User Operator would.
   */
  public ClusterLogBackend defaultBackendWithKafkaUsers(DevServices services, String bootstrap) {
    defaultBackend(services);
    return client()
        .resources(ClusterLogBackend.class)
        .withName("default")
        .edit(b -> dev.logpipe.operator.TestingFixtures.scram(b, bootstrap));
  }

  /**
   * Plays Strimzi (users, topics) and the kubelet for {@code namespace} until the pipeline is
   * Ready.
   */
  public void awaitReady(String namespace, String name, Duration wait) {
    org.awaitility.Awaitility.await()
        .atMost(wait)
        .until(
            () -> {
              children().markUsersReady(STRIMZI_NS);
              children().markTopicsReady(STRIMZI_NS);
              children().markDeploymentsAvailable(namespace);
              return isTrue(get(namespace, name), "Ready");
            });
  }

  /** A Secret in the operator's namespace with username and password keys. */
  public void secret(String name, String user, String password) {
    Base64.Encoder b64 = Base64.getEncoder();
    client()
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(OPERATOR_NS)
                .endMetadata()
                .withData(
                    Map.of(
                        "username", b64.encodeToString(user.getBytes()),
                        "password", b64.encodeToString(password.getBytes())))
                .build())
        .createOr(r -> r.update());
  }

  /**
   * A backend allowing namespaces labelled logging=enabled, ClickHouse credentials from {@code
   * secret}, Redis without credentials (or none when {@code redisUrl} is null).
   */
  public ClusterLogBackend backend(
      String name, String clickHouseUrl, String secret, String redisUrl) {
    ClusterLogBackend backend = TestingFixtures.backend();
    backend.getMetadata().setName(name);
    var spec = backend.getSpec();
    spec.getKafka().setBootstrapServers("127.0.0.1:1");
    spec.getKafka().getStrimziCluster().setNamespace(STRIMZI_NS);
    spec.getClickhouse().setUrl(clickHouseUrl);
    spec.getClickhouse().getCredentialsSecret().setName(secret);
    spec.getClickhouse().getCredentialsSecret().setNamespace(OPERATOR_NS);
    if (redisUrl == null) {
      spec.setRedis(null);
    } else {
      spec.getRedis().setUrl(redisUrl);
      spec.getRedis().setCredentialsSecret(null);
    }
    spec.setAllowedNamespaces(new LabelSelectorBuilder().withMatchLabels(ALLOWED).build());
    return client().resource(backend).create();
  }

  public LogPipeline pipeline(String namespace, String name, Consumer<LogPipelineSpec> spec) {
    LogPipeline pipeline = TestingFixtures.pipeline(namespace, name);
    pipeline.getMetadata().setGeneration(null);
    spec.accept(pipeline.getSpec());
    return client().resource(pipeline).create();
  }

  /** Asks for a rotation of the pipeline's own users, as a user or a CronJob would. */
  public void requestRotation(String namespace, String name, String value) {
    client()
        .resources(LogPipeline.class)
        .inNamespace(namespace)
        .withName(name)
        .edit(
            p -> {
              if (p.getMetadata().getAnnotations() == null) {
                p.getMetadata().setAnnotations(new java.util.HashMap<>());
              }
              p.getMetadata().getAnnotations().put(CredentialRotation.REQUEST, value);
              return p;
            });
  }

  public LogPipeline get(String namespace, String name) {
    return client().resources(LogPipeline.class).inNamespace(namespace).withName(name).get();
  }

  /** Changes the spec as a user would; retried when it races the operator's status write. */
  public LogPipeline edit(String namespace, String name, Consumer<LogPipelineSpec> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return client()
            .resources(LogPipeline.class)
            .inNamespace(namespace)
            .withName(name)
            .edit(
                p -> {
                  change.accept(p.getSpec());
                  return p;
                });
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  /** The condition of {@code type}, or null. */
  public static Condition condition(LogPipeline pipeline, String type) {
    if (pipeline == null || pipeline.getStatus() == null) {
      return null;
    }
    return pipeline.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  public static boolean isTrue(LogPipeline pipeline, String type) {
    Condition c = condition(pipeline, type);
    return c != null && "True".equals(c.getStatus());
  }

  /** The tests' usual operator on a real control plane, with {@code config}. */
  public static TestingLogpipe onRealServer(OperatorConfig config) {
    return new TestingLogpipe(new TestingKubeApiServer(), new SimpleMeterRegistry(), config);
  }

  /**
   * One more replica of the operator on the same cluster, with the same config and RBAC, its own
   * client, metrics and leader Lease identity (replicas in one JVM share HOSTNAME, JOSDK's
   * default). Stopped with {@link #close()}, or earlier by closing it.
   */
  public LogpipeOperator replica(String leaseIdentity, MeterRegistry registry) {
    LogpipeOperator replica =
        new LogpipeOperator(
            cluster.operatorClient(config.operatorNamespace()),
            config,
            registry,
            Clock.systemUTC(),
            () -> leadershipLost.incrementAndGet(),
            leaseIdentity);
    replicas.add(replica);
    replica.start();
    return replica;
  }

  /** Stops a replica of {@link #replica} (as SIGTERM would). */
  public void stopReplica(LogpipeOperator replica) {
    if (replicas.remove(replica)) {
      replica.close();
    }
  }

  /** Stops the operator (as SIGTERM would), leaving the API server up for a look at its traces. */
  public void stopOperator() {
    if (operatorStopped.compareAndSet(false, true)) {
      operator.close();
    }
  }

  /**
   * Stops the operator and the API server, then fails when the operator made a call the chart's
   * RBAC ({@code OperatorPermissions}) would deny: every test that runs the operator checks it.
   */
  @Override
  public void close() {
    List<String> forbidden = List.of();
    try {
      stopOperator();
      replicas.forEach(LogpipeOperator::close);
    } finally {
      if (nodeAgent != null) {
        nodeAgent.close();
      }
      if (cluster instanceof TestingKubeApiServer server) {
        forbidden = server.forbidden();
      }
      cluster.close();
    }
    if (!forbidden.isEmpty()) {
      throw new AssertionError(
          "The API server refused the operator (chart RBAC) with 403:\n"
              + String.join("\n", forbidden));
    }
    if (kubernetes == null) {
      return;
    }
    List<String> ungranted = rbac.ungranted(operatorCalls().keySet());
    if (!ungranted.isEmpty()) {
      throw new AssertionError(
          "The operator made API calls that OperatorPermissions (and so the chart) does not"
              + " grant:\n"
              + String.join("\n", ungranted));
    }
  }
}
