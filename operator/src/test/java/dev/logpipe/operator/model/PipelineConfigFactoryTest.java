package dev.logpipe.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.BatchSpec;
import dev.logpipe.operator.api.v1alpha1.BurstSpec;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.FormatType;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.api.v1alpha1.RuleCondition;
import dev.logpipe.operator.api.v1alpha1.RuleSpec;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.config.PipelineConfigLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineConfigFactoryTest {
  private final ClusterLogBackend backend = TestingFixtures.backend();
  private final LogPipeline pipeline = TestingFixtures.pipeline("team-payments", "payments");

  private PipelineConfig build() {
    return PipelineConfigFactory.build(
        PipelineNames.of(pipeline, backend), pipeline.getSpec(), backend.getSpec());
  }

  @Test
  void queryTtlGoesToTheGatewayLimitsWithDefaultsForTheRest() {
    pipeline.getSpec().getCache().setQueryTtlSeconds(45);

    PipelineConfig.Gateway g = build().gateway();

    PipelineConfig.Gateway d = PipelineConfigLoader.DEFAULT_GATEWAY;
    assertThat(g)
        .isEqualTo(
            new PipelineConfig.Gateway(
                45, d.maxRangeDays(), d.maxLimit(), d.queryTimeoutSeconds(), d.maxBodyBytes()));
  }

  @Test
  void emptySpecGetsTheWorkersDefaults() {
    PipelineConfig c = build();

    assertThat(c.validate()).isEmpty();
    assertThat(c.pipeline()).isEqualTo(new PipelineConfig.Pipeline("team-payments", "payments"));
    assertThat(c.kafka().bootstrapServers()).isEqualTo("logs-kafka-bootstrap.kafka:9092");
    assertThat(c.kafka().topic()).isEqualTo("logpipe.team-payments.payments");
    assertThat(c.kafka().deadLetterTopic()).isEqualTo("logpipe.team-payments.payments.dlq");
    assertThat(c.clickhouse())
        .isEqualTo(
            new PipelineConfig.ClickHouse(
                "http://clickhouse.clickhouse:8123", "logs_team_payments", "payments", 14));
    assertThat(c.redis().keyPrefix()).isEqualTo("logpipe:team-payments:payments:");
    assertThat(c.redis().recentPerService()).isEqualTo(500);
    assertThat(c.format().type()).isEqualTo("json");
    assertThat(c.batch()).isEqualTo(PipelineConfigLoader.DEFAULT_BATCH);
    assertThat(c.anomalies().defaults()).isTrue();
    assertThat(c.anomalies().burst()).isEqualTo(PipelineConfigLoader.DEFAULT_BURST);
  }

  @Test
  void mapsRulesBatchAndPartialBurst() {
    RuleCondition when = new RuleCondition();
    when.setField("level");
    when.setIn(List.of("ERROR", "FATAL"));
    RuleSpec rule = new RuleSpec();
    rule.setName("error-level");
    rule.setWhen(when);
    rule.setScore(60);
    pipeline.getSpec().getAnomalies().setRules(List.of(rule));
    BurstSpec burst = new BurstSpec();
    burst.setSigma(3.0);
    pipeline.getSpec().getAnomalies().setBurst(burst);
    BatchSpec batch = new BatchSpec();
    batch.setMaxRows(1000);
    batch.setMaxDelay("250ms");
    pipeline.getSpec().setBatch(batch);

    PipelineConfig c = build();

    assertThat(c.anomalies().rules())
        .containsExactly(
            new PipelineConfig.Rule(
                "error-level",
                new PipelineConfig.Condition(
                    "level",
                    null,
                    List.of("ERROR", "FATAL"),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null),
                60));
    assertThat(c.anomalies().burst().sigma()).isEqualTo(3.0);
    assertThat(c.anomalies().burst().windowSeconds())
        .isEqualTo(PipelineConfigLoader.DEFAULT_BURST.windowSeconds());
    assertThat(c.batch())
        .isEqualTo(
            new PipelineConfig.Batch(1000, PipelineConfigLoader.DEFAULT_BATCH.maxBytes(), 250));
  }

  @Test
  void cacheDisabledOrBackendWithoutRedisMeansNoRedisAndDeadLetterOffMeansNoDlq() {
    pipeline.getSpec().getCache().setEnabled(false);
    pipeline.getSpec().getDeadLetter().setEnabled(false);
    assertThat(build().redis()).isNull();
    assertThat(build().kafka().deadLetterTopic()).isNull();

    pipeline.getSpec().getCache().setEnabled(true);
    backend.getSpec().setRedis(null);
    assertThat(build().redis()).isNull();
  }

  @Test
  void invalidSpecFailsWithEveryProblemNamed() {
    pipeline.getSpec().getFormat().setType(FormatType.regex);
    BatchSpec batch = new BatchSpec();
    batch.setMaxDelay("5ms");
    pipeline.getSpec().setBatch(batch);

    assertThatThrownBy(this::build)
        .isInstanceOf(InvalidPipelineException.class)
        .hasMessageContaining("format.pattern: required when format.type is regex")
        .hasMessageContaining("batch.maxDelayMs: must be between 10 and 600000, was 5");
  }

  @Test
  void badDurationNamesTheField() {
    BatchSpec batch = new BatchSpec();
    batch.setMaxDelay("1 hour");
    pipeline.getSpec().setBatch(batch);

    assertThatThrownBy(this::build)
        .isInstanceOf(InvalidPipelineException.class)
        .hasMessage(
            "batch.maxDelay '1 hour' is not a duration: write a number and ms, s or m, e.g. 1s");
  }

  @Test
  void kafkaAuthenticationPointsThePodsAtTheSaslListenerWithoutAnyCredential() {
    assertThat(build().kafka().bootstrapServers()).isEqualTo("logs-kafka-bootstrap.kafka:9092");
    assertThat(build().kafka().clientProperties()).isEmpty();
    assertThat(PipelineConfigFactory.kafkaLogin(build())).isFalse();

    TestingFixtures.scram(backend, "logs-kafka-bootstrap.kafka:9095");
    PipelineConfig c = build();
    assertThat(c.kafka().bootstrapServers()).isEqualTo("logs-kafka-bootstrap.kafka:9095");
    assertThat(c.kafka().clientProperties())
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of(
                "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512"));
    assertThat(PipelineConfigFactory.kafkaLogin(c)).isTrue();
    assertThat(PipelineConfigLoader.toJson(c)).doesNotContain("jaas").doesNotContain("password");

    backend
        .getSpec()
        .getKafka()
        .getAuthentication()
        .setSecurityProtocol(dev.logpipe.operator.api.v1alpha1.KafkaSecurityProtocol.SASL_SSL);
    assertThat(build().kafka().clientProperties()).containsEntry("security.protocol", "SASL_SSL");
  }
}
