package dev.logpipe.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaLoginTest {
  private static final Map<String, String> SASL =
      Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512");

  @Test
  void theEnvironmentsUserBecomesTheJaasLineOfEveryClientAndIsNeverShown() {
    PipelineConfig config =
        KafkaLogin.apply(
            config(SASL),
            Map.of(
                "LOGPIPE_KAFKA_USER", "logpipe.team.p.worker", "LOGPIPE_KAFKA_PASSWORD", "s3cr3t"));

    assertThat(config.kafka().clientProperties())
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"logpipe.team.p.worker\" password=\"s3cr3t\";");
    assertThat(config.toString()).doesNotContain("s3cr3t").contains("sasl.jaas.config=****");
    assertThat(config.kafka().topic()).isEqualTo("logpipe.team.p");
    assertThat(KafkaLogin.describe(config))
        .isEqualTo("SASL_PLAINTEXT/SCRAM-SHA-512/logpipe.team.p.worker");
  }

  @Test
  void thePlaintextLoginIsDescribedAsSuch() {
    assertThat(KafkaLogin.describe(config(null))).isEqualTo("PLAINTEXT");
  }

  @Test
  void withoutAUserTheConfigIsUnchanged() {
    PipelineConfig config = config(null);
    assertThat(KafkaLogin.apply(config, Map.of())).isSameAs(config);
  }

  @Test
  void halfACredentialOrAQuoteIsAClearErrorThatNeverShowsThePassword() {
    assertThatThrownBy(
            () -> KafkaLogin.apply(config(SASL), Map.of("LOGPIPE_KAFKA_PASSWORD", "s3cr3t")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("LOGPIPE_KAFKA_USER is missing")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(
            () ->
                KafkaLogin.apply(
                    config(SASL),
                    Map.of("LOGPIPE_KAFKA_USER", "u", "LOGPIPE_KAFKA_PASSWORD", "a\"b")))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("a\"b");
  }

  @Test
  void aJaasLineInTheConfigFileIsRefusedWithoutEchoingIt() {
    String json =
        PipelineConfigLoader.toJson(
            config(
                Map.of(
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"u\" password=\"leaked\";")));
    assertThatThrownBy(() -> PipelineConfigLoader.parse(json))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.clientProperties.sasl.jaas.config")
        .hasMessageContaining("LOGPIPE_KAFKA_PASSWORD")
        .hasMessageNotContaining("leaked");
  }

  private static PipelineConfig config(Map<String, String> clientProperties) {
    return PipelineConfigLoader.withDefaults(
        new PipelineConfig(
            new PipelineConfig.Pipeline("team", "p"),
            new PipelineConfig.Kafka(
                "127.0.0.1:9092", "logpipe.team.p", "logpipe.team.p", null, clientProperties),
            new PipelineConfig.ClickHouse("http://127.0.0.1:8123", "logs_team", "p"),
            null,
            null,
            null,
            null));
  }
}
