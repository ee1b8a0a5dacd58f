package dev.logpipe.worker.config;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Collects one message per problem, each naming the field at fault by its JSON path. */
final class PipelineConfigValidator {
  static final Set<String> FORMATS = Set.of("json", "logfmt", "regex", "text");
  static final Set<String> MAPPABLE_FIELDS =
      Set.of(
          "timestamp",
          "level",
          "service",
          "message",
          "host",
          "trace_id",
          "status_code",
          "latency_ms",
          "error_code");

  private final List<String> errors;

  PipelineConfigValidator(List<String> errors) {
    this.errors = errors;
  }

  void validate(PipelineConfig c) {
    if (c.pipeline() == null) {
      errors.add("pipeline: required");
    } else {
      notBlank("pipeline.namespace", c.pipeline().namespace());
      notBlank("pipeline.name", c.pipeline().name());
    }
    if (c.kafka() == null) {
      errors.add("kafka: required");
    } else {
      notBlank("kafka.bootstrapServers", c.kafka().bootstrapServers());
      notBlank("kafka.topic", c.kafka().topic());
      notBlank("kafka.groupId", c.kafka().groupId());
      if (c.kafka().deadLetterTopic() != null && c.kafka().deadLetterTopic().isBlank()) {
        errors.add("kafka.deadLetterTopic: must not be blank when set (omit it to disable)");
      }
      deliveryGuarantees(c.kafka().clientProperties());
    }
    if (c.clickhouse() == null) {
      errors.add("clickhouse: required");
    } else {
      httpUrl("clickhouse.url", c.clickhouse().url(), Set.of("http", "https"));
      identifier("clickhouse.database", c.clickhouse().database());
      identifier("clickhouse.table", c.clickhouse().table());
      if (c.clickhouse().retentionDays() != null) {
        range("clickhouse.retentionDays", c.clickhouse().retentionDays(), 1, 36_500);
      }
    }
    if (c.redis() != null) {
      httpUrl("redis.url", c.redis().url(), Set.of("redis", "rediss"));
      notBlank("redis.keyPrefix", c.redis().keyPrefix());
      range("redis.recentPerService", c.redis().recentPerService(), 1, 100_000);
      range("redis.anomaliesMax", c.redis().anomaliesMax(), 1, 1_000_000);
      range("redis.ttlSeconds", c.redis().ttlSeconds(), 1, 30 * 86_400);
    }
    format(c.format());
    anomalies(c.anomalies());
    if (c.batch() == null) {
      errors.add("batch: required");
    } else {
      range("batch.maxRows", c.batch().maxRows(), 1, 1_000_000);
      range("batch.maxBytes", c.batch().maxBytes(), 1024, 1L << 30);
      range("batch.maxDelayMs", c.batch().maxDelayMs(), 10, 600_000);
    }
    if (c.gateway() != null) {
      range("gateway.queryCacheTtlSeconds", c.gateway().queryCacheTtlSeconds(), 0, 86_400);
      range("gateway.maxRangeDays", c.gateway().maxRangeDays(), 1, 3_650);
      range("gateway.maxLimit", c.gateway().maxLimit(), 1, 10_000);
      range("gateway.queryTimeoutSeconds", c.gateway().queryTimeoutSeconds(), 1, 300);
      range("gateway.maxBodyBytes", c.gateway().maxBodyBytes(), 1024, 256L * 1024 * 1024);
    }
  }

  private void format(PipelineConfig.Format f) {
    if (f == null) {
      errors.add("format: required");
      return;
    }
    if (f.type() == null || !FORMATS.contains(f.type())) {
      errors.add("format.type: must be one of " + new TreeSet<>(FORMATS) + ", was " + f.type());
    }
    if (f.maxFutureSkewSeconds() != null) {
      range("format.maxFutureSkewSeconds", f.maxFutureSkewSeconds(), 1, 366L * 86_400);
    }
    if ("regex".equals(f.type())) {
      if (f.pattern() == null || f.pattern().isBlank()) {
        errors.add("format.pattern: required when format.type is regex");
      } else {
        String problem = UserPatterns.problem(f.pattern());
        if (problem != null) {
          errors.add("format.pattern: " + problem);
        } else if (UserPatterns.groupNames(UserPatterns.compile(f.pattern())).isEmpty()) {
          errors.add("format.pattern: needs at least one named group such as (?<message>.*)");
        }
      }
    } else if (f.pattern() != null) {
      errors.add("format.pattern: only allowed when format.type is regex");
    }
    if (f.fields() != null) {
      for (Map.Entry<String, String> e : f.fields().entrySet()) {
        if (!MAPPABLE_FIELDS.contains(e.getKey())) {
          errors.add(
              "format.fields."
                  + e.getKey()
                  + ": unknown field, expected one of "
                  + new TreeSet<>(MAPPABLE_FIELDS));
        }
        fieldPath(f, "format.fields." + e.getKey(), e.getValue());
      }
      FieldTypeChecks.mappings(f.fields(), errors);
    }
  }

  /**
   * A mapping that can never match is an error, not a silently unused setting: JSON paths have no
   * empty segment, and a regex mapping names one of the pattern's groups.
   */
  private void fieldPath(PipelineConfig.Format f, String field, String value) {
    if (value == null || value.isBlank()) {
      errors.add(field + ": required");
      return;
    }
    String path = value.strip();
    if ("json".equals(f.type())
        && (path.startsWith(".") || path.endsWith(".") || path.contains(".."))) {
      errors.add(field + ": '" + value + "' is not a dotted path such as kubernetes.labels.app");
    } else if ("regex".equals(f.type())
        && f.pattern() != null
        && UserPatterns.problem(f.pattern()) == null) {
      Set<String> groups =
          new TreeSet<>(UserPatterns.groupNames(UserPatterns.compile(f.pattern())));
      if (!groups.isEmpty() && !groups.contains(path)) {
        errors.add(field + ": '" + value + "' is not a named group of format.pattern " + groups);
      }
    }
  }

  /**
   * Client properties tune the Kafka clients but may not weaken delivery: the gateway's 202 and the
   * worker's commit-after-store both rely on these settings, so an override is an error, not
   * silently replaced.
   */
  private void deliveryGuarantees(Map<String, String> props) {
    if (props == null) {
      return;
    }
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(props).entrySet()) {
      String at = "kafka.clientProperties." + e.getKey();
      String value =
          e.getValue() == null ? "" : e.getValue().strip().toLowerCase(java.util.Locale.ROOT);
      String problem =
          switch (e.getKey()) {
            case "acks" ->
                value.equals("all") || value.equals("-1")
                    ? null
                    : "must be all (or -1): a record is acknowledged only once every in-sync"
                        + " replica has it";
            case "enable.idempotence" ->
                value.equals("true")
                    ? null
                    : "must be true: retried sends must not store a record twice or out of order";
            case "retries" ->
                wholeNumberAtLeast(value, 1)
                    ? null
                    : "must be at least 1: a failed send is retried";
            case "max.in.flight.requests.per.connection" ->
                wholeNumberAtLeast(value, 1) && Long.parseLong(value) <= 5
                    ? null
                    : "must be between 1 and 5, the most the idempotent producer allows";
            case "enable.auto.commit" ->
                value.equals("false")
                    ? null
                    : "must be false: offsets are committed only after their batch is stored";
            case "bootstrap.servers", "group.id" ->
                "is set by the pipeline (kafka.bootstrapServers, kafka.groupId): remove it";
            case KafkaLogin.JAAS_CONFIG ->
                "holds credentials, which never go into the config: set "
                    + KafkaLogin.KAFKA_USER
                    + " and "
                    + KafkaLogin.KAFKA_PASSWORD
                    + " (from a Secret) instead";
            case "key.serializer",
                "value.serializer",
                "key.deserializer",
                "value.deserializer",
                "transactional.id" ->
                "is fixed by the worker and cannot be overridden: remove it";
            default -> null;
          };
      if (problem != null) {
        // A JAAS line is never echoed: it may hold a password.
        errors.add(
            at
                + ": "
                + problem
                + (KafkaLogin.JAAS_CONFIG.equals(e.getKey()) ? "" : ", was " + e.getValue()));
      }
    }
  }

  private static boolean wholeNumberAtLeast(String value, long min) {
    try {
      return Long.parseLong(value) >= min;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private void anomalies(PipelineConfig.Anomalies a) {
    if (a == null) {
      return;
    }
    Set<String> names = new HashSet<>();
    List<PipelineConfig.Rule> rules = a.rules() == null ? List.of() : a.rules();
    for (int i = 0; i < rules.size(); i++) {
      String at = "anomalies.rules[" + i + "]";
      PipelineConfig.Rule r = rules.get(i);
      if (r == null) {
        errors.add(at + ": must not be null");
        continue;
      }
      if (r.name() == null || !r.name().matches("[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?")) {
        errors.add(
            at
                + ".name: lower-case letters, digits, '-' and '_', 1-63 characters, was "
                + r.name());
      } else if (!names.add(r.name())) {
        errors.add(at + ".name: duplicate rule name " + r.name());
      }
      range(at + ".score", r.score(), 1, 100);
      condition(at + ".when", r.when());
    }
    PipelineConfig.Burst b = a.burst();
    if (b != null && b.enabled()) {
      range("anomalies.burst.windowSeconds", b.windowSeconds(), 1, 3600);
      if (!(b.alpha() > 0 && b.alpha() <= 1)) {
        errors.add("anomalies.burst.alpha: must be in (0, 1], was " + b.alpha());
      }
      if (!(b.sigma() > 0 && b.sigma() <= 100)) {
        errors.add("anomalies.burst.sigma: must be in (0, 100], was " + b.sigma());
      }
      range("anomalies.burst.minErrors", b.minErrors(), 1, 1_000_000);
      range("anomalies.burst.score", b.score(), 1, 100);
    }
  }

  private void condition(String at, PipelineConfig.Condition w) {
    if (w == null) {
      errors.add(at + ": required");
      return;
    }
    notBlank(at + ".field", w.field());
    int operators = 0;
    for (Object o :
        new Object[] {
          w.eq(), w.in(), w.gt(), w.gte(), w.lt(), w.lte(), w.contains(), w.matches(), w.exists()
        }) {
      if (o != null) {
        operators++;
      }
    }
    if (operators != 1) {
      errors.add(
          at
              + ": set exactly one of eq, in, gt, gte, lt, lte, contains, matches, exists (found "
              + operators
              + ")");
    }
    if (w.in() != null && w.in().isEmpty()) {
      errors.add(at + ".in: must list at least one value");
    }
    FieldTypeChecks.condition(at, w, errors);
    if (w.matches() != null) {
      String problem = UserPatterns.problem(w.matches());
      if (problem != null) {
        errors.add(at + ".matches: " + problem);
      }
    }
  }

  private void notBlank(String field, String value) {
    if (value == null || value.isBlank()) {
      errors.add(field + ": required");
    }
  }

  private void identifier(String field, String value) {
    if (value == null || value.isEmpty()) {
      errors.add(field + ": required");
    } else if (!SqlIdentifiers.isValid(value)) {
      errors.add(
          field
              + ": '"
              + value
              + "' is not a valid identifier (letters, digits, '_'; start with a letter or '_';"
              + " at most 63 characters)");
    }
  }

  private void httpUrl(String field, String value, Set<String> schemes) {
    if (value == null || value.isBlank()) {
      errors.add(field + ": required");
      return;
    }
    try {
      URI uri = URI.create(value);
      if (uri.getScheme() == null || !schemes.contains(uri.getScheme()) || uri.getHost() == null) {
        errors.add(
            field + ": must be a " + new TreeSet<>(schemes) + " URL with a host, was " + value);
      }
    } catch (IllegalArgumentException e) {
      errors.add(field + ": not a URL: " + value);
    }
  }

  private void range(String field, long value, long min, long max) {
    if (value < min || value > max) {
      errors.add(field + ": must be between " + min + " and " + max + ", was " + value);
    }
  }
}
