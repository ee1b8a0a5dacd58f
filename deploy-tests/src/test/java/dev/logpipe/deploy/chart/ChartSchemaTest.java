package dev.logpipe.deploy.chart;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** values.schema.json and the templates' own checks turn bad values into a message at install. */
class ChartSchemaTest {

  @Test
  void wrongTypeNamesThePath() {
    rejects(Map.of("replicaCount", "two"), "replicaCount");
  }

  @Test
  void misspelledKeyIsRejected() {
    rejects(Map.of("metrics.servicemonitor.enabled", true), "servicemonitor");
  }

  @Test
  void namespaceMustBeADnsLabel() {
    rejects(
        Map.of("watchNamespaces[0]", "Team_A", "kafkaNamespaces[0]", "kafka"), "watchNamespaces");
  }

  @Test
  void pullPolicyIsAnEnum() {
    rejects(Map.of("workerImage.pullPolicy", "Sometimes"), "pullPolicy");
  }

  @Test
  void backendNeedsClickHouse() {
    rejects(
        Map.of(
            "backends[0].name", "default",
            "backends[0].kafka.bootstrapServers", "k:9092",
            "backends[0].kafka.strimziCluster.name", "logs",
            "backends[0].kafka.strimziCluster.namespace", "kafka"),
        "clickhouse");
  }

  @Test
  void backendLimitsStopAtTheCrdMaximum() {
    rejects(
        Map.of(
            "backends[0].name", "default",
            "backends[0].kafka.bootstrapServers", "k:9092",
            "backends[0].kafka.strimziCluster.name", "logs",
            "backends[0].kafka.strimziCluster.namespace", "kafka",
            "backends[0].clickhouse.url", "http://ch:8123",
            "backends[0].clickhouse.credentialsSecret.name", "ch",
            "backends[0].limits.maxPartitions", 1001),
        "maxPartitions");
  }

  @Test
  void severalReplicasNeedLeaderElection() {
    rejects(
        Map.of("replicaCount", 2, "leaderElection.enabled", false),
        "replicaCount > 1 needs leaderElection.enabled=true");
  }

  @Test
  void namespaceListNeedsTheKafkaNamespaces() {
    rejects(Map.of("watchNamespaces[0]", "team-a"), "kafkaNamespaces must list");
  }

  private static void rejects(Map<String, Object> values, String messagePart) {
    assertThatThrownBy(() -> Chart.render(values))
        .as("values %s", values)
        .hasMessageContaining(messagePart);
  }
}
