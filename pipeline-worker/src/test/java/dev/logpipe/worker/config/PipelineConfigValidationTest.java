package dev.logpipe.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One invalid input per row, loaded the way the worker loads its file: the error is exactly one
 * message and it names the field at fault.
 */
class PipelineConfigValidationTest {

  static final String VALID =
      """
      {
        "pipeline": {"namespace": "team-a", "name": "payments"},
        "kafka": {"bootstrapServers": "kafka:9092", "topic": "logpipe.team-a.payments",
                  "groupId": "logpipe.team-a.payments",
                  "deadLetterTopic": "logpipe.team-a.payments.dlq"},
        "clickhouse": {"url": "http://clickhouse:8123", "database": "logs_team_a",
                       "table": "payments"},
        "redis": {"url": "redis://redis:6379", "keyPrefix": "logpipe:team-a:payments:",
                  "recentPerService": 500, "anomaliesMax": 1000, "ttlSeconds": 3600},
        "format": {"type": "json", "fields": {"timestamp": "ts", "service": "kubernetes.labels.app"}},
        "anomalies": {"defaults": true,
                      "rules": [{"name": "slow", "when": {"field": "latency_ms", "gt": 3000},
                                 "score": 30}],
                      "burst": {"enabled": true, "windowSeconds": 10, "alpha": 0.3, "sigma": 4,
                                "minErrors": 20, "score": 40}},
        "batch": {"maxRows": 50000, "maxBytes": 67108864, "maxDelayMs": 1000}
      }
      """;

  private static final String IDENTIFIER_RULE =
      " is not a valid identifier (letters, digits, '_'; start with a letter or '_'; at most 63"
          + " characters)";
  private static final String OPERATORS =
      ": set exactly one of eq, in, gt, gte, lt, lte, contains, matches, exists (found ";

  /** {@code path} (dotted, with [i] for array elements) set to {@code json}; null removes it. */
  record Edit(String path, String json) {}

  static Arguments row(String expected, String path, String json) {
    return Arguments.of(expected, new Edit[] {new Edit(path, json)});
  }

  static Arguments row(String expected, Edit... edits) {
    return Arguments.of(expected, edits);
  }

  static Stream<Arguments> invalidInputs() {
    return Stream.of(
        row("pipeline: required", "pipeline", null),
        row("pipeline.name: required", "pipeline.name", "\" \""),
        row("kafka: required", "kafka", null),
        row("kafka.bootstrapServers: required", "kafka.bootstrapServers", null),
        row("kafka.bootstrapServers: required", "kafka.bootstrapServers", "\"  \""),
        row("kafka.topic: required", "kafka.topic", null),
        row("kafka.topic: required", "kafka.topic", "\"\""),
        row("kafka.groupId: required", "kafka.groupId", null),
        row("kafka.groupId: required", "kafka.groupId", "\"\\t\""),
        row(
            "kafka.deadLetterTopic: must not be blank when set (omit it to disable)",
            "kafka.deadLetterTopic",
            "\" \""),
        row("clickhouse: required", "clickhouse", null),
        row("clickhouse.url: required", "clickhouse.url", null),
        row(
            "clickhouse.url: must be a [http, https] URL with a host, was ftp://clickhouse:21",
            "clickhouse.url",
            "\"ftp://clickhouse:21\""),
        row(
            "clickhouse.url: must be a [http, https] URL with a host, was clickhouse:8123",
            "clickhouse.url",
            "\"clickhouse:8123\""),
        row(
            "clickhouse.url: not a URL: http://click house",
            "clickhouse.url",
            "\"http://click house\""),
        row(
            "clickhouse.database: 'x; DROP TABLE y'" + IDENTIFIER_RULE,
            "clickhouse.database",
            "\"x; DROP TABLE y\""),
        row("clickhouse.database: required", "clickhouse.database", null),
        row("clickhouse.table: 'logs-prod'" + IDENTIFIER_RULE, "clickhouse.table", "\"logs-prod\""),
        row("clickhouse.table: 'a`b'" + IDENTIFIER_RULE, "clickhouse.table", "\"a`b\""),
        row("clickhouse.table: '1st'" + IDENTIFIER_RULE, "clickhouse.table", "\"1st\""),
        row(
            "clickhouse.table: '" + "t".repeat(64) + "'" + IDENTIFIER_RULE,
            "clickhouse.table",
            "\"" + "t".repeat(64) + "\""),
        row(
            "redis.url: must be a [redis, rediss] URL with a host, was http://redis:6379",
            "redis.url",
            "\"http://redis:6379\""),
        row(
            "redis.url: must be a [redis, rediss] URL with a host, was redis:6379",
            "redis.url",
            "\"redis:6379\""),
        row("redis.url: required", "redis.url", "\"\""),
        row("redis.keyPrefix: required", "redis.keyPrefix", null),
        row("redis.ttlSeconds: must be between 1 and 2592000, was 0", "redis.ttlSeconds", "0"),
        row(
            "format.type: must be one of [json, logfmt, regex, text], was xml",
            "format.type",
            "\"xml\""),
        row(
            "format.type: must be one of [json, logfmt, regex, text], was null",
            "format.type",
            null),
        row(
            "format.pattern: required when format.type is regex",
            new Edit("format.type", "\"regex\""),
            new Edit("format.fields", null)),
        row(
            "format.pattern: needs at least one named group such as (?<message>.*)",
            new Edit("format.type", "\"regex\""),
            new Edit("format.pattern", "\"^(\\\\S+) (.*)$\""),
            new Edit("format.fields", null)),
        row(
            "format.pattern: not a valid RE2 regular expression: missing closing ) near"
                + " '^(?<level>\\w+'",
            new Edit("format.type", "\"regex\""),
            new Edit("format.pattern", "\"^(?<level>\\\\w+\""),
            new Edit("format.fields", null)),
        row(
            "format.pattern: uses a backreference (\\1 or \\k<name>), which the linear-time regex"
                + " engine (RE2) does not support; rewrite the pattern without it",
            new Edit("format.type", "\"regex\""),
            new Edit("format.pattern", "\"^(?<message>(a)\\\\1)$\""),
            new Edit("format.fields", null)),
        row(
            "format.pattern: uses a lookbehind (?<=...), which the linear-time regex engine (RE2)"
                + " does not support; rewrite the pattern without it",
            new Edit("format.type", "\"regex\""),
            new Edit("format.pattern", "\"(?<=GET )(?<message>\\\\S+)\""),
            new Edit("format.fields", null)),
        row(
            "format.pattern: only allowed when format.type is regex",
            "format.pattern",
            "\"(?<message>.*)\""),
        row(
            "format.fields.severity: unknown field, expected one of [error_code, host, latency_ms,"
                + " level, message, service, status_code, timestamp, trace_id]",
            "format.fields.severity",
            "\"sev\""),
        row("format.fields.level: required", "format.fields.level", "\" \""),
        row(
            "format.fields.service: 'kubernetes..app' is not a dotted path such as"
                + " kubernetes.labels.app",
            "format.fields.service",
            "\"kubernetes..app\""),
        row(
            "format.fields.timestamp: '.ts' is not a dotted path such as kubernetes.labels.app",
            "format.fields.timestamp",
            "\".ts\""),
        row(
            "format.fields.level: 'severity' is not a named group of format.pattern [level, msg]",
            new Edit("format.type", "\"regex\""),
            new Edit("format.pattern", "\"^(?<level>\\\\w+) (?<msg>.*)$\""),
            new Edit("format.fields", "{\"level\": \"severity\", \"message\": \"msg\"}")),
        row("batch.maxRows: must be between 1 and 1000000, was 0", "batch.maxRows", "0"),
        row(
            "batch.maxRows: must be between 1 and 1000000, was 1000001",
            "batch.maxRows",
            "1000001"),
        row(
            "batch.maxBytes: must be between 1024 and 1073741824, was 100",
            "batch.maxBytes",
            "100"),
        row("batch.maxDelayMs: must be between 10 and 600000, was 5", "batch.maxDelayMs", "5"),
        row(
            "batch.maxDelayMs: must be between 10 and 600000, was 3600000",
            "batch.maxDelayMs",
            "3600000"),
        row(
            "anomalies.rules[0].when.regex: unknown key, expected one of [contains, eq, exists,"
                + " field, gt, gte, in, lt, lte, matches]",
            "anomalies.rules[0].when",
            "{\"field\": \"message\", \"regex\": \"timeout\"}"),
        row(
            "anomalies.rules[0].when" + OPERATORS + "2)",
            "anomalies.rules[0].when",
            "{\"field\": \"latency_ms\", \"gt\": 3000, \"lt\": 10}"),
        row(
            "anomalies.rules[0].when" + OPERATORS + "0)",
            "anomalies.rules[0].when",
            "{\"field\": \"latency_ms\"}"),
        row(
            "anomalies.rules[0].when.matches: not a valid RE2 regular expression: missing closing ]"
                + " near '[a-z'",
            "anomalies.rules[0].when",
            "{\"field\": \"message\", \"matches\": \"[a-z\"}"),
        row(
            "anomalies.rules[0].when.gte: level is a text field and gte compares numbers, so it"
                + " never matches; use in, e.g. in: [ERROR, FATAL] (levels are [TRACE, DEBUG,"
                + " INFO, WARN, ERROR, FATAL])",
            "anomalies.rules[0].when",
            "{\"field\": \"level\", \"gte\": 1}"),
        row(
            "anomalies.rules[0].when.gt: message is a text field and gt compares numbers, so it"
                + " never matches; use eq, in, contains or matches",
            "anomalies.rules[0].when",
            "{\"field\": \"message\", \"gt\": 5}"),
        row(
            "anomalies.rules[0].when.eq: status_code is a number, so 'server-error' never matches"
                + " it",
            "anomalies.rules[0].when",
            "{\"field\": \"status_code\", \"eq\": \"server-error\"}"),
        row(
            "anomalies.rules[0].when.in: levels are normalised to one of [TRACE, DEBUG, INFO, WARN,"
                + " ERROR, FATAL], so 'loud' never matches",
            "anomalies.rules[0].when",
            "{\"field\": \"level\", \"in\": [\"err\", \"loud\"]}"),
        row(
            "format.fields: source field 'msg' is mapped to level, message, service; a source field"
                + " fills one unified field, so map the others to different source fields or"
                + " remove them",
            "format.fields",
            "{\"level\": \"msg\", \"message\": \"msg\", \"service\": \"msg\"}"),
        row(
            "anomalies.rules[0].when.matches: uses a negative lookahead (?!...), which the"
                + " linear-time regex engine (RE2) does not support; rewrite the pattern without it",
            "anomalies.rules[0].when",
            "{\"field\": \"message\", \"matches\": \"^(?!health)\"}"),
        row(
            "anomalies.rules[0].when.gt: expected a number, was \"slow\"",
            "anomalies.rules[0].when.gt",
            "\"slow\""),
        row(
            "anomalies.rules[0].when.exists: expected true or false, was \"yes\"",
            "anomalies.rules[0].when",
            "{\"field\": \"error_code\", \"exists\": \"yes\"}"),
        row(
            "anomalies.rules[0].when.in: expected a list",
            "anomalies.rules[0].when",
            "{\"field\": \"level\", \"in\": {\"a\": 1}}"),
        row(
            "anomalies.rules[0].score: expected a number, was \"high\"",
            "anomalies.rules[0].score",
            "\"high\""),
        row(
            "anomalies.rules[0].score: must be between 1 and 100, was 101",
            "anomalies.rules[0].score",
            "101"),
        row("anomalies.rules[0].when: required", "anomalies.rules[0].when", null),
        row("anomalies.rules[0].when.field: required", "anomalies.rules[0].when.field", null),
        row(
            "anomalies.rules[0].when.in: must list at least one value",
            "anomalies.rules[0].when",
            "{\"field\": \"level\", \"in\": []}"),
        row(
            "anomalies.rules[0].name: lower-case letters, digits, '-' and '_', 1-63 characters,"
                + " was Slow Requests",
            "anomalies.rules[0].name",
            "\"Slow Requests\""),
        row(
            "anomalies.rules[1].name: duplicate rule name slow",
            "anomalies.rules[1]",
            "{\"name\": \"slow\", \"when\": {\"field\": \"level\", \"eq\": \"ERROR\"}, \"score\":"
                + " 10}"),
        row("anomalies.burst.alpha: must be in (0, 1], was 1.5", "anomalies.burst.alpha", "1.5"),
        row("batch.maxRows: expected a number, was \"many\"", "batch.maxRows", "\"many\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidInputs")
  void rejectsWithOneMessageNamingTheField(String expected, Edit[] edits) throws Exception {
    String json = edited(edits);
    ConfigException e =
        catchThrowableOfType(() -> PipelineConfigLoader.parse(json), ConfigException.class);
    assertThat(e).as("accepted: %s", json).isNotNull();
    assertThat(e.errors()).containsExactly(expected);
    assertThat(e.getMessage()).isEqualTo("invalid pipeline config: " + expected);
  }

  @Test
  void theBaseConfigIsValidAndKeepsItsValues() {
    PipelineConfig c = PipelineConfigLoader.parse(VALID);
    assertThat(c.clickhouse().table()).isEqualTo("payments");
    assertThat(c.anomalies().rules()).hasSize(1);
    assertThat(c.anomalies().rules().get(0).when().gt()).isEqualTo(3000.0);
    assertThat(c.batch()).isEqualTo(new PipelineConfig.Batch(50_000, 64L << 20, 1_000));
  }

  @Test
  void everyProblemIsReportedNotJustTheFirst() {
    String json =
        edited(
            new Edit("kafka.topic", null),
            new Edit("clickhouse.table", "\"x; DROP TABLE y\""),
            new Edit("batch.maxRows", "0"));
    ConfigException e =
        catchThrowableOfType(() -> PipelineConfigLoader.parse(json), ConfigException.class);
    assertThat(e.errors())
        .containsExactly(
            "kafka.topic: required",
            "clickhouse.table: 'x; DROP TABLE y'" + IDENTIFIER_RULE,
            "batch.maxRows: must be between 1 and 1000000, was 0");
  }

  @Test
  void omittedSectionsGetTheDocumentedDefaults() {
    String json =
        edited(new Edit("format", null), new Edit("anomalies", null), new Edit("batch", null));
    PipelineConfig c = PipelineConfigLoader.parse(json);
    assertThat(c.format().type()).isEqualTo("json");
    assertThat(c.batch()).isEqualTo(PipelineConfigLoader.DEFAULT_BATCH);
    assertThat(c.batch()).isEqualTo(new PipelineConfig.Batch(50_000, 64L << 20, 1_000));
    assertThat(c.anomalies().defaults()).isTrue();
    assertThat(c.anomalies().burst()).isEqualTo(PipelineConfigLoader.DEFAULT_BURST);
    assertThat(c.gateway()).isEqualTo(PipelineConfigLoader.DEFAULT_GATEWAY);
  }

  @Test
  void typeChecksLeaveRulesThatCanMatchAlone() throws Exception {
    String json =
        edited(
            new Edit(
                "anomalies.rules",
                "[{\"name\": \"a\", \"when\": {\"field\": \"bytes\", \"gt\": 1000}, \"score\": 5},"
                    + " {\"name\": \"b\", \"when\": {\"field\": \"level\", \"in\": [\"err\","
                    + " \"FATAL\"]}, \"score\": 5}, {\"name\": \"c\", \"when\": {\"field\":"
                    + " \"status_code\", \"in\": [\"500\", \"503\"]}, \"score\": 5}, {\"name\":"
                    + " \"d\", \"when\": {\"field\": \"message\", \"contains\": \"timeout\"},"
                    + " \"score\": 5}]"),
            new Edit("format.fields", "{\"level\": \"severity\", \"message\": \"msg\"}"));

    assertThat(PipelineConfigLoader.parse(json).anomalies().rules()).hasSize(4);
  }

  @Test
  void unknownKeysOutsideConditionsAreIgnoredForForwardCompatibility() {
    PipelineConfig c = PipelineConfigLoader.parse(edited(new Edit("kafka.futureSetting", "\"x\"")));
    assertThat(c.kafka().topic()).isEqualTo("logpipe.team-a.payments");
  }

  static String edited(Edit... edits) {
    try {
      ObjectNode root = (ObjectNode) PipelineConfigLoader.mapper().readTree(VALID);
      for (Edit edit : edits) {
        apply(root, edit);
      }
      return PipelineConfigLoader.mapper().writeValueAsString(root);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void apply(ObjectNode root, Edit edit) throws Exception {
    String[] steps = edit.path().split("\\.");
    JsonNode node = root;
    for (int i = 0; i < steps.length - 1; i++) {
      node = child(node, steps[i]);
    }
    String last = steps[steps.length - 1];
    JsonNode value =
        edit.json() == null ? null : PipelineConfigLoader.mapper().readTree(edit.json());
    int bracket = last.indexOf('[');
    if (bracket >= 0) {
      ArrayNode array = (ArrayNode) node.get(last.substring(0, bracket));
      int index = Integer.parseInt(last.substring(bracket + 1, last.length() - 1));
      if (value == null) {
        array.remove(index);
      } else if (index < array.size()) {
        array.set(index, value);
      } else {
        array.add(value);
      }
    } else if (value == null) {
      ((ObjectNode) node).remove(last);
    } else {
      ((ObjectNode) node).set(last, value);
    }
  }

  private static JsonNode child(JsonNode node, String step) {
    int bracket = step.indexOf('[');
    if (bracket < 0) {
      return node.get(step);
    }
    return node.get(step.substring(0, bracket))
        .get(Integer.parseInt(step.substring(bracket + 1, step.length() - 1)));
  }
}
