package dev.logpipe.worker.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The contract between the operator and the worker: everything a worker needs to run one pipeline,
 * written by the operator into a ConfigMap as JSON and read by the worker from a file.
 *
 * <p>Credentials are never part of it: the worker reads them from its environment (which the
 * operator fills from a Secret), see {@link Credentials}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PipelineConfig(
    Pipeline pipeline,
    Kafka kafka,
    ClickHouse clickhouse,
    Redis redis,
    Format format,
    Anomalies anomalies,
    Batch batch,
    Gateway gateway) {

  /**
   * Without gateway settings (the gateway then uses {@link PipelineConfigLoader#DEFAULT_GATEWAY}).
   */
  public PipelineConfig(
      Pipeline pipeline,
      Kafka kafka,
      ClickHouse clickhouse,
      Redis redis,
      Format format,
      Anomalies anomalies,
      Batch batch) {
    this(pipeline, kafka, clickhouse, redis, format, anomalies, batch, null);
  }

  /** Which pipeline this is; used in logs, metrics and Redis keys. */
  public record Pipeline(String namespace, String name) {
    public String qualifiedName() {
      return namespace + "/" + name;
    }
  }

  /**
   * Kafka source. {@code deadLetterTopic} null means dead-lettering is off: bad records are then
   * counted and logged (position only), never stored.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Kafka(
      String bootstrapServers,
      String topic,
      String groupId,
      String deadLetterTopic,
      Map<String, String> clientProperties) {
    /** Never shows a JAAS line: it holds the password {@link KafkaLogin} added from the env. */
    @Override
    public String toString() {
      Map<String, String> shown = clientProperties;
      if (shown != null && shown.containsKey(KafkaLogin.JAAS_CONFIG)) {
        shown = new java.util.TreeMap<>(shown);
        shown.put(KafkaLogin.JAAS_CONFIG, "****");
      }
      return "Kafka[bootstrapServers="
          + bootstrapServers
          + ", topic="
          + topic
          + ", groupId="
          + groupId
          + ", deadLetterTopic="
          + deadLetterTopic
          + ", clientProperties="
          + shown
          + "]";
    }
  }

  /**
   * ClickHouse sink: HTTP(S) URL of the server, database and table (validated identifiers), and the
   * table's retention in days (its TTL; null when unknown): an event older than that would be
   * dropped by TTL at the next merge, so the worker stores it at its Kafka record time instead.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ClickHouse(String url, String database, String table, Integer retentionDays) {
    public ClickHouse(String url, String database, String table) {
      this(url, database, table, null);
    }
  }

  /**
   * Optional Redis live-view cache. All keys start with {@code keyPrefix}. {@code ttlSeconds}
   * bounds how long recent logs and counters live.
   */
  public record Redis(
      String url, String keyPrefix, int recentPerService, int anomaliesMax, int ttlSeconds) {}

  /**
   * Input format. {@code type} is one of json, logfmt, regex, text. {@code pattern} is the regex
   * with named groups (regex only). {@code fields} maps unified-schema fields (timestamp, level,
   * service, message, host, trace_id, status_code, latency_ms, error_code) to source field names or
   * dotted paths; unmapped fields fall back to common names. An event timestamp more than {@code
   * maxFutureSkewSeconds} (default 86400) after its Kafka record time is replaced by the record
   * time, with the reason in the {@code _timestamp_error} attribute.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Format(
      String type,
      String pattern,
      Map<String, String> fields,
      String defaultService,
      Long maxFutureSkewSeconds) {
    /** {@code maxFutureSkewSeconds} left to its default (one day). */
    public Format(String type, String pattern, Map<String, String> fields, String defaultService) {
      this(type, pattern, fields, defaultService, null);
    }
  }

  /**
   * Anomaly rules. {@code defaults} adds the built-in rule set (error level, HTTP 5xx/4xx, slow
   * requests, error code present) before the user's rules. {@code burst} is the rate-based rule.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Anomalies(boolean defaults, List<Rule> rules, Burst burst) {}

  /** One declarative rule: when {@code when} matches an event, add {@code score}. */
  public record Rule(String name, Condition when, int score) {}

  /**
   * Exactly one operator must be set. {@code field} names a unified-schema field (e.g. level,
   * status_code) or an attribute key.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Condition(
      String field,
      String eq,
      List<String> in,
      Double gt,
      Double gte,
      Double lt,
      Double lte,
      String contains,
      String matches,
      Boolean exists) {}

  /**
   * Per-service error-burst detection: events of level ERROR or above in a window of {@code
   * windowSeconds} are compared to an EWMA baseline of earlier windows; a window whose count
   * exceeds mean + {@code sigma} standard deviations (and at least {@code minErrors}) marks its
   * error events with {@code score}.
   */
  public record Burst(
      boolean enabled, int windowSeconds, double alpha, double sigma, int minErrors, int score) {}

  /**
   * Query gateway limits: how long query results stay in the Redis cache, the widest time range and
   * the most rows one query may ask for, the server-side execution timeout, and the largest ingest
   * request body.
   */
  public record Gateway(
      int queryCacheTtlSeconds,
      int maxRangeDays,
      int maxLimit,
      int queryTimeoutSeconds,
      long maxBodyBytes) {}

  /** Batch limits: a batch is stored when any one is reached. */
  public record Batch(int maxRows, long maxBytes, long maxDelayMs) {}

  /** Checks every field and returns messages naming the field at fault (empty when valid). */
  public List<String> validate() {
    List<String> errors = new ArrayList<>();
    new PipelineConfigValidator(errors).validate(this);
    return errors;
  }
}
