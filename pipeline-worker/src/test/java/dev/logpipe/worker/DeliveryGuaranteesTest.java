package dev.logpipe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logpipe.worker.config.ConfigException;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.config.PipelineConfigLoader;
import dev.logpipe.worker.consume.ReliableProducer;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@code kafka.clientProperties} tune the Kafka clients but can never switch off "an accepted
 * record is never lost": such overrides are rejected at config validation, naming the property, and
 * the producer and consumer settings keep the guarantee even for a config built in code.
 */
class DeliveryGuaranteesTest {

  @Test
  void overridesThatWeakenDeliveryAreRejectedNamingTheProperty() {
    Map<String, String> weakening =
        Map.of(
            "acks", "1",
            "enable.idempotence", "false",
            "retries", "0",
            "max.in.flight.requests.per.connection", "10",
            "enable.auto.commit", "true");
    assertThatThrownBy(() -> PipelineConfigLoader.parse(json(weakening)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.clientProperties.acks: must be all (or -1)")
        .hasMessageContaining("kafka.clientProperties.enable.idempotence: must be true")
        .hasMessageContaining("kafka.clientProperties.retries: must be at least 1")
        .hasMessageContaining(
            "kafka.clientProperties.max.in.flight.requests.per.connection: must be between 1 and 5")
        .hasMessageContaining("kafka.clientProperties.enable.auto.commit: must be false");
    assertThat(config(Map.of("acks", "0")).validate())
        .containsExactly(
            "kafka.clientProperties.acks: must be all (or -1): a record is acknowledged only once"
                + " every in-sync replica has it, was 0");
  }

  @Test
  void whatThePipelineOwnsCannotBeRedirectedThroughClientProperties() {
    assertThat(
            config(
                    Map.of(
                        "bootstrap.servers", "evil:9092",
                        "group.id", "other-group",
                        "value.deserializer", "x.Y"))
                .validate())
        .containsExactly(
            "kafka.clientProperties.bootstrap.servers: is set by the pipeline"
                + " (kafka.bootstrapServers, kafka.groupId): remove it, was evil:9092",
            "kafka.clientProperties.group.id: is set by the pipeline (kafka.bootstrapServers,"
                + " kafka.groupId): remove it, was other-group",
            "kafka.clientProperties.value.deserializer: is fixed by the worker and cannot be"
                + " overridden: remove it, was x.Y");
  }

  @Test
  void settingsThatKeepTheGuaranteeAndTuningPropertiesAreAccepted() {
    Map<String, String> fine =
        Map.of(
            "acks", "-1",
            "enable.idempotence", "TRUE",
            "retries", "5",
            "max.in.flight.requests.per.connection", "5",
            "enable.auto.commit", "false",
            "linger.ms", "50",
            "compression.type", "zstd");
    assertThat(config(fine).validate()).isEmpty();
    PipelineConfig parsed = PipelineConfigLoader.parse(json(fine));
    Properties props = ReliableProducer.properties(parsed, "c", ofSeconds(5), ofSeconds(15));
    assertThat(props).containsEntry("linger.ms", "50").containsEntry("compression.type", "zstd");
  }

  @Test
  void theProducerKeepsAcksAllAndIdempotenceWhateverTheClientPropertiesSay() {
    PipelineConfig unvalidated =
        config(Map.of("acks", "0", "enable.idempotence", "false", "linger.ms", "20"));
    Properties props = ReliableProducer.properties(unvalidated, "c", ofSeconds(5), ofSeconds(15));
    assertThat(props)
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", "true")
        .containsEntry("linger.ms", "20");
  }

  @Test
  void theConsumerNeverAutoCommits() {
    Properties props =
        ConsumeCommand.consumerProperties(config(Map.of("enable.auto.commit", "true")));
    assertThat(props).containsEntry("enable.auto.commit", "false");
  }

  private static Duration ofSeconds(long s) {
    return Duration.ofSeconds(s);
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

  private static String json(Map<String, String> clientProperties) {
    return PipelineConfigLoader.toJson(config(clientProperties));
  }
}
