package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.OPERATOR_NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.operator.config.OperatorConfig;
import dev.logpipe.operator.testing.TestingLogpipe;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Stopping a leading operator (SIGTERM) is not taken for a lost Lease: JOSDK's default answer to
 * "stopped leading" is System.exit, which from the shutdown hook would block until the pod is
 * killed (and here would end the test JVM, failing the run).
 */
class LeaderElectionIT {

  @Test
  void stoppingTheLeaderIsQuiet() {
    OperatorConfig config = TestingLogpipe.config(1, Duration.ofSeconds(10));
    config =
        new OperatorConfig(
            config.watchNamespaces(),
            config.kafkaNamespaces(),
            config.reconcileThreads(),
            config.resyncPeriod(),
            config.workerImage(),
            config.operatorNamespace(),
            true,
            config.leaseName(),
            config.httpPort());
    try (TestingLogpipe env = new TestingLogpipe(new SimpleMeterRegistry(), config)) {
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(lease(env).getSpec().getHolderIdentity()).isNotBlank());

      env.stopOperator();

      // JOSDK does not release the Lease (another replica takes over when its 15 s run out); what
      // matters is that our own stop is not taken for a lost Lease and nothing calls exit.
      assertThat(env.leadershipLost()).isZero();
      assertThat(lease(env).getSpec().getLeaseDurationSeconds()).isEqualTo(15);
    }
  }

  private static Lease lease(TestingLogpipe env) {
    return env.client().leases().inNamespace(OPERATOR_NS).withName(OperatorConfig.LEASE_NAME).get();
  }
}
