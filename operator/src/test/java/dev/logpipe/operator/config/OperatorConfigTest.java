package dev.logpipe.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {
  @Test
  void defaultsWatchEverythingWithLeaderElection() {
    OperatorConfig c = OperatorConfig.fromEnv(Map.of());

    assertThat(c.watchesAllNamespaces()).isTrue();
    assertThat(c.kafkaNamespaces()).isEmpty();
    assertThat(c.leaderElection()).isTrue();
    assertThat(c.leaseName()).isEqualTo("logpipe-operator");
    assertThat(c.operatorNamespace()).isEqualTo("logpipe-system");
    assertThat(c.resyncPeriod()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.workerImage().pullPolicy()).isEqualTo("IfNotPresent");
  }

  @Test
  void readsEveryVariable() {
    OperatorConfig c =
        OperatorConfig.fromEnv(
            Map.of(
                "LOGPIPE_WATCH_NAMESPACES", " team-a, ,team-b ",
                "LOGPIPE_KAFKA_NAMESPACES", "kafka",
                "LOGPIPE_RECONCILE_THREADS", "7",
                "LOGPIPE_RESYNC_SECONDS", "45",
                "LOGPIPE_WORKER_IMAGE", "reg/worker:1.2",
                "LOGPIPE_WORKER_IMAGE_PULL_POLICY", "Always",
                "LOGPIPE_OPERATOR_NAMESPACE", "ops",
                "LOGPIPE_LEADER_ELECTION", "FALSE",
                "LOGPIPE_HTTP_PORT", "9090"));

    assertThat(c.watchNamespaces()).isEqualTo(Set.of("team-a", "team-b"));
    assertThat(c.kafkaNamespaces()).isEqualTo(Set.of("kafka"));
    assertThat(c.reconcileThreads()).isEqualTo(7);
    assertThat(c.resyncPeriod()).isEqualTo(Duration.ofSeconds(45));
    assertThat(c.workerImage().image()).isEqualTo("reg/worker:1.2");
    assertThat(c.workerImage().pullPolicy()).isEqualTo("Always");
    assertThat(c.operatorNamespace()).isEqualTo("ops");
    assertThat(c.leaderElection()).isFalse();
    assertThat(c.httpPort()).isEqualTo(9090);
  }

  @Test
  void reportsEveryBadVariableAtOnce() {
    assertThatThrownBy(
            () ->
                OperatorConfig.fromEnv(
                    Map.of(
                        "LOGPIPE_RECONCILE_THREADS", "many",
                        "LOGPIPE_RESYNC_SECONDS", "1",
                        "LOGPIPE_LEADER_ELECTION", "maybe",
                        "LOGPIPE_WORKER_IMAGE_PULL_POLICY", "Sometimes")))
        .isInstanceOf(OperatorConfig.InvalidConfigException.class)
        .hasMessageContaining("LOGPIPE_RECONCILE_THREADS must be a whole number, was 'many'")
        .hasMessageContaining("LOGPIPE_RESYNC_SECONDS must be between 5 and 3600, was 1")
        .hasMessageContaining("LOGPIPE_LEADER_ELECTION must be true or false, was 'maybe'")
        .hasMessageContaining("Sometimes");
  }
}
