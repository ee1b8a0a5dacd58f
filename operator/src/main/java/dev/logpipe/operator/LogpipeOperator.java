package dev.logpipe.operator;

import dev.logpipe.operator.autoscale.Autoscaler;
import dev.logpipe.operator.autoscale.AutoscalerMetrics;
import dev.logpipe.operator.config.OperatorConfig;
import dev.logpipe.operator.dependent.BackendSecrets;
import dev.logpipe.operator.dependent.ClickHouseTableDependentResource;
import dev.logpipe.operator.dependent.CredentialsSecretDependentResource;
import dev.logpipe.operator.dependent.DeadLetterTopicDependentResource;
import dev.logpipe.operator.dependent.GatewayDeploymentDependentResource;
import dev.logpipe.operator.dependent.GatewayKafkaUserDependentResource;
import dev.logpipe.operator.dependent.KafkaTopicDependentResource;
import dev.logpipe.operator.dependent.LogpipeDependentResourceFactory;
import dev.logpipe.operator.dependent.RedisNamespaceDependentResource;
import dev.logpipe.operator.dependent.StorageProvisioner;
import dev.logpipe.operator.dependent.WorkerDeploymentDependentResource;
import dev.logpipe.operator.dependent.WorkerKafkaUserDependentResource;
import dev.logpipe.operator.external.AdminPool;
import dev.logpipe.operator.external.ClickHouseAdmin;
import dev.logpipe.operator.external.KafkaProbe;
import dev.logpipe.operator.external.RedisAdmin;
import dev.logpipe.operator.reconciler.BackendChecks;
import dev.logpipe.operator.reconciler.ClusterLogBackendReconciler;
import dev.logpipe.operator.reconciler.LogPipelineReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator as one object: both reconcilers, their shared admin clients and JOSDK's production
 * defaults (server-side apply included). {@link OperatorMain}, the tests and the benchmark all
 * build it here, so what is tested is what runs.
 */
public final class LogpipeOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogpipeOperator.class);
  private final Operator operator;
  private final AdminPool<ClickHouseAdmin> clickHouse = new AdminPool<>(ClickHouseAdmin::new);
  private final AdminPool<RedisAdmin> redis = new AdminPool<>(RedisAdmin::new);
  private final StorageProvisioner storage;
  private final Autoscaler autoscaler;
  private final AtomicBoolean closing = new AtomicBoolean();

  /** Production: a lost leader Lease ends the process (the Deployment starts a new pod). */
  public LogpipeOperator(
      KubernetesClient client, OperatorConfig config, MeterRegistry registry, Clock clock) {
    this(client, config, registry, clock, LogpipeOperator::exit);
  }

  /**
   * @param onLeadershipLost runs when another replica took the leader Lease while this one still
   *     reconciles; it must stop this process's reconciling, as {@link #exit} does
   */
  public LogpipeOperator(
      KubernetesClient client,
      OperatorConfig config,
      MeterRegistry registry,
      Clock clock,
      Runnable onLeadershipLost) {
    this(client, config, registry, clock, onLeadershipLost, null);
  }

  /**
   * @param leaseIdentity this replica's name in the leader Lease; null takes JOSDK's default, the
   *     HOSTNAME variable (the pod's name). Replicas sharing one process (tests) need distinct
   *     ones.
   */
  public LogpipeOperator(
      KubernetesClient client,
      OperatorConfig config,
      MeterRegistry registry,
      Clock clock,
      Runnable onLeadershipLost,
      String leaseIdentity) {
    BackendSecrets secrets = new BackendSecrets(config.operatorNamespace());
    // A provisioned table is trusted for half a resync, then observed again.
    storage = new StorageProvisioner(config.resyncPeriod().dividedBy(2));
    autoscaler = new Autoscaler(client, new AutoscalerMetrics(registry), clock);
    Map<Class<?>, Supplier<DependentResource<?, ?>>> dependents =
        Map.of(
            CredentialsSecretDependentResource.class,
            () -> new CredentialsSecretDependentResource(secrets),
            WorkerDeploymentDependentResource.class,
            () ->
                new WorkerDeploymentDependentResource(
                    config.workerImage(), secrets, storage, autoscaler),
            GatewayDeploymentDependentResource.class,
            () -> new GatewayDeploymentDependentResource(config.workerImage(), secrets, storage),
            ClickHouseTableDependentResource.class,
            () -> new ClickHouseTableDependentResource(clickHouse, secrets, storage),
            RedisNamespaceDependentResource.class,
            () -> new RedisNamespaceDependentResource(redis, secrets));
    operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withResourceCloner(new SpecProblemsCloner(client.getKubernetesSerialization()))
                  .withConcurrentReconciliationThreads(config.reconcileThreads())
                  // Each pipeline's dependents run in parallel on this pool.
                  .withConcurrentWorkflowExecutorThreads(config.reconcileThreads() * 3)
                  .withDependentResourceFactory(new LogpipeDependentResourceFactory(dependents))
                  .withMetrics(metrics(registry));
              if (config.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    leaderElection(config, onLeadershipLost, leaseIdentity));
              }
            });
    operator.register(
        new LogPipelineReconciler(
            config.operatorNamespace(),
            config.kafkaNamespaces(),
            config.resyncPeriod(),
            clock,
            autoscaler,
            clickHouse,
            secrets),
        c -> {
          if (config.watchesAllNamespaces()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(config.watchNamespaces());
          }
          if (!config.kafkaNamespaces().isEmpty()) {
            // With namespaced RBAC the topic and user informers may only watch the Kafka
            // namespaces.
            c.replacingNamedDependentResourceConfig(
                KafkaTopicDependentResource.NAME,
                KafkaTopicDependentResource.watching(config.kafkaNamespaces()));
            c.replacingNamedDependentResourceConfig(
                DeadLetterTopicDependentResource.NAME,
                DeadLetterTopicDependentResource.watching(config.kafkaNamespaces()));
            c.replacingNamedDependentResourceConfig(
                WorkerKafkaUserDependentResource.NAME,
                WorkerKafkaUserDependentResource.watching(config.kafkaNamespaces()));
            c.replacingNamedDependentResourceConfig(
                GatewayKafkaUserDependentResource.NAME,
                GatewayKafkaUserDependentResource.watching(config.kafkaNamespaces()));
          }
        });
    operator.register(
        new ClusterLogBackendReconciler(
            new BackendChecks(new KafkaProbe(), clickHouse, redis, secrets),
            config.resyncPeriod(),
            clock));
  }

  /**
   * JOSDK's metrics as the operator records them. Per-resource meters would grow with every
   * pipeline ever seen, so they are off; the dashboards are tested against this same setup.
   */
  public static MicrometerMetrics metrics(MeterRegistry registry) {
    return MicrometerMetrics.withoutPerResourceMetrics(registry);
  }

  /**
   * JOSDK's own reaction to losing the Lease is System.exit, which it also runs when the operator
   * stops (fabric8 reports "stopped leading" then too): from a shutdown hook that blocks forever,
   * so SIGTERM would end only with the grace period's SIGKILL. Here a stop we asked for is quiet,
   * and a Lease taken away while running still ends the process.
   */
  private LeaderElectionConfiguration leaderElection(
      OperatorConfig config, Runnable onLeadershipLost, String leaseIdentity) {
    return new LeaderElectionConfiguration(
        config.leaseName(),
        config.operatorNamespace(),
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        leaseIdentity,
        new LeaderCallbacks(
            () -> {},
            () -> {
              if (!closing.get()) {
                onLeadershipLost.run();
              }
            },
            leader -> {}),
        false);
  }

  // fabric8 calls back while holding its elector's lock, which the shutdown hook's stop() needs:
  // exit from a thread of its own so the hooks can run.
  private static void exit() {
    LOG.error("event=leadership_lost message=\"another replica holds the leader Lease; exiting\"");
    Thread exit = new Thread(() -> System.exit(1), "logpipe-leadership-lost");
    exit.start();
  }

  public Operator operator() {
    return operator;
  }

  public void start() {
    operator.start();
    autoscaler.start();
  }

  /** The lag-based autoscaler of worker Deployments. */
  public Autoscaler autoscaler() {
    return autoscaler;
  }

  @Override
  public void close() {
    closing.set(true);
    operator.stop();
    autoscaler.close();
    storage.close();
    clickHouse.close();
    redis.close();
  }
}
