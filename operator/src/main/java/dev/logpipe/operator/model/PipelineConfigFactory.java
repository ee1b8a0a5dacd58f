package dev.logpipe.operator.model;

import dev.logpipe.operator.api.v1alpha1.AnomaliesSpec;
import dev.logpipe.operator.api.v1alpha1.BackendKafkaAuthentication;
import dev.logpipe.operator.api.v1alpha1.BatchSpec;
import dev.logpipe.operator.api.v1alpha1.BurstSpec;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackendSpec;
import dev.logpipe.operator.api.v1alpha1.FormatSpec;
import dev.logpipe.operator.api.v1alpha1.LogPipelineSpec;
import dev.logpipe.operator.api.v1alpha1.RuleCondition;
import dev.logpipe.operator.api.v1alpha1.RuleSpec;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.config.PipelineConfigLoader;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * LogPipeline + ClusterLogBackend → the worker's {@link PipelineConfig}. What the spec omits is
 * filled with the worker's own defaults ({@link PipelineConfigLoader}), so the two never disagree.
 */
public final class PipelineConfigFactory {
  /** Redis: most anomalies kept per pipeline, and how long recent logs and counters live. */
  static final int ANOMALIES_MAX = 1_000;

  static final int CACHE_TTL_SECONDS = 86_400;

  static final String SECURITY_PROTOCOL = "security.protocol";
  static final String SASL_MECHANISM = "sasl.mechanism";

  private PipelineConfigFactory() {}

  /**
   * Builds and validates the config.
   *
   * @throws InvalidPipelineException listing every problem, each naming its field
   */
  public static PipelineConfig build(
      PipelineNames names, LogPipelineSpec spec, ClusterLogBackendSpec backend) {
    PipelineConfig config =
        PipelineConfigLoader.withDefaults(
            new PipelineConfig(
                new PipelineConfig.Pipeline(names.namespace(), names.name()),
                kafka(names, spec, backend),
                new PipelineConfig.ClickHouse(
                    backend.getClickhouse().getUrl(),
                    names.database(),
                    names.table(),
                    spec.getStorage().getRetentionDays()),
                redis(names, spec, backend),
                format(spec.getFormat()),
                anomalies(spec.getAnomalies()),
                batch(spec.getBatch()),
                gateway(spec)));
    List<String> errors = config.validate();
    if (!errors.isEmpty()) {
      throw new InvalidPipelineException(
          "The pipeline configuration is invalid: " + String.join("; ", errors));
    }
    return config;
  }

  /**
   * Without authentication the pods use the backend's bootstrap servers in plaintext. With it they
   * use the authenticated listener, and the config names only the protocol and mechanism: the login
   * itself (user, password) reaches the pods through the environment ({@code KafkaLogin}), never
   * this ConfigMap.
   */
  private static PipelineConfig.Kafka kafka(
      PipelineNames names, LogPipelineSpec spec, ClusterLogBackendSpec backend) {
    BackendKafkaAuthentication auth = backend.getKafka().getAuthentication();
    Map<String, String> clientProperties = new TreeMap<>();
    if (auth != null) {
      clientProperties.put(SECURITY_PROTOCOL, auth.getSecurityProtocol().name());
      clientProperties.put(SASL_MECHANISM, auth.getType().saslMechanism());
    }
    return new PipelineConfig.Kafka(
        auth != null ? auth.getBootstrapServers() : backend.getKafka().getBootstrapServers(),
        names.topic(),
        names.groupId(),
        spec.getDeadLetter().isEnabled() ? names.deadLetterTopic() : null,
        clientProperties);
  }

  /** Whether pods of this config log in to Kafka (their config names a SASL mechanism). */
  public static boolean kafkaLogin(PipelineConfig config) {
    Map<String, String> props = config.kafka().clientProperties();
    return props != null && props.containsKey(SASL_MECHANISM);
  }

  /** The query cache TTL comes from the spec; the other gateway limits keep their defaults. */
  private static PipelineConfig.Gateway gateway(LogPipelineSpec spec) {
    PipelineConfig.Gateway d = PipelineConfigLoader.DEFAULT_GATEWAY;
    return new PipelineConfig.Gateway(
        spec.getCache().getQueryTtlSeconds(),
        d.maxRangeDays(),
        d.maxLimit(),
        d.queryTimeoutSeconds(),
        d.maxBodyBytes());
  }

  private static PipelineConfig.Redis redis(
      PipelineNames names, LogPipelineSpec spec, ClusterLogBackendSpec backend) {
    if (!spec.getCache().isEnabled() || backend.getRedis() == null) {
      return null;
    }
    return new PipelineConfig.Redis(
        backend.getRedis().getUrl(),
        names.redisKeyPrefix(),
        spec.getCache().getRecentPerService(),
        ANOMALIES_MAX,
        CACHE_TTL_SECONDS);
  }

  private static PipelineConfig.Format format(FormatSpec f) {
    // Sorted so the JSON (and the config hash that rolls pods) does not depend on map order.
    Map<String, String> fields = f.getFields() == null ? null : new TreeMap<>(f.getFields());
    return new PipelineConfig.Format(
        f.getType().value(), f.getPattern(), fields, f.getDefaultService());
  }

  private static PipelineConfig.Anomalies anomalies(AnomaliesSpec a) {
    List<PipelineConfig.Rule> rules =
        a.getRules().stream().map(PipelineConfigFactory::rule).toList();
    return new PipelineConfig.Anomalies(a.isDefaults(), rules, burst(a.getBurst()));
  }

  private static PipelineConfig.Rule rule(RuleSpec r) {
    RuleCondition w = r.getWhen();
    PipelineConfig.Condition when =
        w == null
            ? null
            : new PipelineConfig.Condition(
                w.getField(),
                w.getEq(),
                w.getIn(),
                w.getGt(),
                w.getGte(),
                w.getLt(),
                w.getLte(),
                w.getContains(),
                w.getMatches(),
                w.getExists());
    return new PipelineConfig.Rule(r.getName(), when, r.getScore());
  }

  private static PipelineConfig.Burst burst(BurstSpec b) {
    PipelineConfig.Burst d = PipelineConfigLoader.DEFAULT_BURST;
    if (b == null) {
      return d;
    }
    return new PipelineConfig.Burst(
        b.getEnabled() != null ? b.getEnabled() : d.enabled(),
        b.getWindowSeconds() != null ? b.getWindowSeconds() : d.windowSeconds(),
        b.getAlpha() != null ? b.getAlpha() : d.alpha(),
        b.getSigma() != null ? b.getSigma() : d.sigma(),
        b.getMinErrors() != null ? b.getMinErrors() : d.minErrors(),
        b.getScore() != null ? b.getScore() : d.score());
  }

  private static PipelineConfig.Batch batch(BatchSpec b) {
    PipelineConfig.Batch d = PipelineConfigLoader.DEFAULT_BATCH;
    if (b == null) {
      return d;
    }
    return new PipelineConfig.Batch(
        b.getMaxRows() != null ? b.getMaxRows() : d.maxRows(),
        b.getMaxBytes() != null ? b.getMaxBytes() : d.maxBytes(),
        b.getMaxDelay() != null
            ? Durations.toMillis("batch.maxDelay", b.getMaxDelay())
            : d.maxDelayMs());
  }
}
