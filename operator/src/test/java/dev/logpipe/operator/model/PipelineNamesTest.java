package dev.logpipe.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logpipe.worker.config.SqlIdentifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PipelineNamesTest {
  @Test
  void gatewayNamesAndTheirDigitRule() {
    PipelineNames n = PipelineNames.of("team-payments", "payments", "logs_");
    assertThat(n.gatewayDeployment()).isEqualTo("payments-gateway");
    assertThat(n.gatewayService()).isEqualTo("payments-gateway");
    assertThat(n.gatewayTokenSecret()).isEqualTo("payments-gateway-token");
    assertThat(n.gatewayUrl()).isEqualTo("http://payments-gateway.team-payments.svc");
    n.requireGatewayServiceName();

    PipelineNames digit = PipelineNames.of("team-payments", "9lives", "logs_");
    assertThatThrownBy(digit::requireGatewayServiceName)
        .isInstanceOf(InvalidPipelineException.class)
        .hasMessageContaining("spec.gateway.enabled");
    PipelineNames longName = PipelineNames.of("team-payments", "p" + "a".repeat(62), "logs_");
    assertThat(longName.gatewayTokenSecret()).hasSize(63);
  }

  @Test
  void derivesEveryNameFromNamespaceAndName() {
    PipelineNames n = PipelineNames.of("team-payments", "payments", "logs_");

    assertThat(n.topic()).isEqualTo("logpipe.team-payments.payments");
    assertThat(n.deadLetterTopic()).isEqualTo("logpipe.team-payments.payments.dlq");
    assertThat(n.groupId()).isEqualTo("logpipe.team-payments.payments");
    assertThat(n.database()).isEqualTo("logs_team_payments");
    assertThat(n.table()).isEqualTo("payments");
    assertThat(n.redisKeyPrefix()).isEqualTo("logpipe:team-payments:payments:");
    assertThat(n.workerDeployment()).isEqualTo("payments-worker");
    assertThat(n.configMap()).isEqualTo("payments-pipeline-config");
    assertThat(n.credentialsSecret()).isEqualTo("payments-credentials");
    assertThat(n.labels("worker"))
        .containsEntry("app.kubernetes.io/instance", "payments")
        .containsEntry("app.kubernetes.io/component", "worker")
        .containsEntry("logpipe.dev/pipeline-namespace", "team-payments")
        .containsEntry("logpipe.dev/pipeline-name", "payments");
    assertThat(n.labels("worker")).containsAllEntriesOf(n.selectorLabels("worker"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"a'; DROP TABLE x; --", "paymënts", "Payments", "a.b", "-a", "a-", "", "a b"})
  void hostileOrInvalidNamesFailWithAClearMessage(String name) {
    assertThatThrownBy(() -> PipelineNames.of("team-a", name, "logs_"))
        .isInstanceOf(InvalidPipelineException.class)
        .hasMessageContaining("LogPipeline name '" + name + "' is not usable")
        .hasMessageContaining("at most 63 lower-case letters, digits and '-'");
    assertThatThrownBy(() -> PipelineNames.of(name, "payments", "logs_"))
        .isInstanceOf(InvalidPipelineException.class)
        .hasMessageContaining("namespace '" + name + "'");
  }

  @Test
  void threeHundredCharacterNamesAreRejectedNotTruncated() {
    String longName = "a".repeat(300);
    assertThatThrownBy(() -> PipelineNames.of("team-a", longName, "logs_"))
        .isInstanceOf(InvalidPipelineException.class)
        .hasMessageContaining("at most 63");
  }

  @Test
  void longestNamesStayWithinKafkaSqlAndKubernetesLimitsAndStayDistinct() {
    String ns = "n".repeat(63);
    String a = "a".repeat(62) + "1";
    String b = "a".repeat(62) + "2";
    PipelineNames na = PipelineNames.of(ns, a, "logs_");
    PipelineNames nb = PipelineNames.of(ns, b, "logs_");

    assertThat(na.deadLetterTopic().length()).isLessThanOrEqualTo(249);
    assertThat(SqlIdentifiers.isValid(na.database())).isTrue();
    assertThat(na.database()).hasSize(63).startsWith("logs_nnn");
    assertThat(SqlIdentifiers.isValid(na.table() + "_offsets")).isTrue();
    assertThat(na.table()).isNotEqualTo(nb.table());
    assertThat(na.workerDeployment()).hasSizeLessThanOrEqualTo(63);
    assertThat(na.configMap()).isNotEqualTo(nb.configMap()).hasSizeLessThanOrEqualTo(63);
    // stable: the same input always gives the same cut name
    assertThat(PipelineNames.of(ns, a, "logs_")).isEqualTo(na);
  }

  @Test
  void namesStartingWithADigitGetAnUnderscoreTable() {
    assertThat(PipelineNames.of("team-a", "1st", "logs_").table()).isEqualTo("_1st");
  }
}
