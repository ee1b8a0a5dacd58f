package dev.logpipe.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;

/**
 * Adversarial review of issue 14's worker Kafka login: KafkaLogin refuses '"' and '\' in the
 * environment's user and password, but not line breaks. Kafka's JAAS parser (a StreamTokenizer)
 * ends a quoted string at a line break, so the rest of the password is read as JAAS syntax: the
 * client fails to start with an error that quotes that rest (e.g. "Value not specified for key
 * 'tail' in JAAS config"), which the worker logs. A value KafkaLogin accepts must reach Kafka
 * unchanged.
 */
class KafkaLoginLineBreakTest {
  private static final Map<String, String> SASL =
      Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512");

  @Test
  void aPasswordKafkaLoginAcceptsReachesKafkasJaasParserUnchanged() {
    for (String password : new String[] {"head\nSecretTail", "head\rSecretTail"}) {
      PipelineConfig config;
      try {
        config =
            KafkaLogin.apply(
                config(),
                Map.of(
                    "LOGPIPE_KAFKA_USER",
                    "logpipe.t.p.worker",
                    "LOGPIPE_KAFKA_PASSWORD",
                    password));
      } catch (ConfigException refused) {
        assertThat(refused.getMessage()).doesNotContain("SecretTail");
        continue; // refused with a clear error: defended
      }
      String jaas = config.kafka().clientProperties().get(KafkaLogin.JAAS_CONFIG);
      String parsed;
      try {
        AppConfigurationEntry entry =
            JaasContext.loadClientContext(Map.of(KafkaLogin.JAAS_CONFIG, new Password(jaas)))
                .configurationEntries()
                .get(0);
        parsed = String.valueOf(entry.getOptions().get("password"));
      } catch (IllegalArgumentException e) {
        parsed = "Kafka refuses the JAAS line: " + e.getMessage();
      }
      assertThat(parsed)
          .as(
              "what Kafka reads as the password for %s",
              password.replace("\n", "\\n").replace("\r", "\\r"))
          .isEqualTo(password);
    }
  }

  private static PipelineConfig config() {
    return PipelineConfigLoader.withDefaults(
        new PipelineConfig(
            new PipelineConfig.Pipeline("t", "p"),
            new PipelineConfig.Kafka("127.0.0.1:9092", "logpipe.t.p", "logpipe.t.p", null, SASL),
            new PipelineConfig.ClickHouse("http://127.0.0.1:8123", "logs_t", "p"),
            null,
            null,
            null,
            null));
  }
}
