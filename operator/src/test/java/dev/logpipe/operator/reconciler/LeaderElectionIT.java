package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.OPERATOR_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.operator.LogpipeOperator;
import dev.logpipe.operator.config.OperatorConfig;
import dev.logpipe.operator.testing.TestingLogpipe;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas with leader election on a real Lease: exactly one leads and reconciles, the
 * other waits without reconciling; when the leader stops (SIGTERM), the stop is not taken for a
 * lost Lease (JOSDK's default answer to "stopped leading" is System.exit, which from a shutdown
 * hook would block until the pod is killed), and the other takes over within the Lease's bounds and
 * reconciles from then on.
 */
class LeaderElectionIT {
  private static final String NS = "team-lead";
  private static final Duration LEASE = LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE;
  private static final Duration RETRY = LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE;

  @Test
  void oneReplicaLeadsAndTheOtherTakesOverWhenItStops() {
    OperatorConfig usual = TestingLogpipe.config(1, Duration.ofSeconds(10));
    OperatorConfig config =
        new OperatorConfig(
            usual.watchNamespaces(),
            usual.kafkaNamespaces(),
            usual.reconcileThreads(),
            usual.resyncPeriod(),
            usual.workerImage(),
            usual.operatorNamespace(),
            true,
            usual.leaseName(),
            usual.httpPort());
    try (TestingLogpipe env = TestingLogpipe.onRealServer(config)) {
      env.namespace(NS, true);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(lease(env).getSpec().getHolderIdentity()).isNotBlank());
      String first = lease(env).getSpec().getHolderIdentity();

      MeterRegistry secondMetrics = new SimpleMeterRegistry();
      LogpipeOperator second = env.replica("second-replica", secondMetrics);
      // A pipeline without a backend is still reconciled (Accepted False): no services needed.
      env.pipeline(NS, "led", s -> s.setBackend("nowhere"));
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(condition(env.get(NS, "led"), "Accepted").getReason())
                      .isEqualTo("BackendNotFound"));
      // Several retry periods later the first still holds the Lease and the second has not
      // reconciled anything.
      await().pollDelay(RETRY.multipliedBy(3)).until(() -> true);
      assertThat(lease(env).getSpec().getHolderIdentity()).isEqualTo(first);
      assertThat(reconciliations(secondMetrics)).isZero();

      ZonedDateTime lastRenewal = lease(env).getSpec().getRenewTime();
      Instant stopped = Instant.now();
      env.stopOperator();
      assertThat(env.leadershipLost()).isZero();

      await()
          .atMost(LEASE.plus(RETRY.multipliedBy(2)).plusSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(lease(env).getSpec().getHolderIdentity()).isEqualTo("second-replica"));
      Duration takeover = Duration.between(stopped, Instant.now());
      Lease taken = lease(env);
      // Never two leaders: the second acquired only once the first's last renewal had expired.
      assertThat(taken.getSpec().getAcquireTime().toInstant())
          .isAfterOrEqualTo(lastRenewal.toInstant().plus(LEASE).minusSeconds(1));
      assertThat(taken.getSpec().getLeaseTransitions()).isGreaterThanOrEqualTo(1);

      // The new leader reconciles: a spec change is observed.
      env.edit(NS, "led", s -> s.getTopic().setPartitions(4));
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(env.get(NS, "led").getStatus().getObservedGeneration()).isEqualTo(2));
      assertThat(reconciliations(secondMetrics)).isPositive();
      assertThat(env.leadershipLost()).isZero();
      System.out.println("event=leader_takeover seconds=" + takeover.toMillis() / 1000.0);
      env.stopReplica(second);
      assertThat(env.leadershipLost()).isZero();
    }
  }

  private static double reconciliations(MeterRegistry registry) {
    return registry.getMeters().stream()
        .filter(m -> m.getId().getName().contains("reconciliations.started"))
        .filter(Counter.class::isInstance)
        .mapToDouble(m -> ((Counter) m).count())
        .sum();
  }

  private static Lease lease(TestingLogpipe env) {
    return env.client().leases().inNamespace(OPERATOR_NS).withName(OperatorConfig.LEASE_NAME).get();
  }
}
