package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Manifests the API server must refuse, each one edit away from an example in examples/, with the
 * HTTP code and the parts of the server's message that name the field and say why; and values at
 * the limits that it must accept. Used by {@link CrdServerValidationIT}.
 */
final class InvalidManifests {
  /** Namespace of the cases (created by the test; examples/ has its own). */
  static final String NAMESPACE = "crd-cases";

  private static final String PIPELINE = "logpipeline-nginx-regex.yaml";
  private static final String BACKEND = "cluster-log-backend.yaml";
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final String NAME_63 = "a" + "b".repeat(61) + "c";
  private static final String DNS_LABEL =
      "metadata.name must be a DNS label: at most 63 lower-case letters, digits and '-', no dots";

  private InvalidManifests() {}

  /**
   * One manifest: {@code example} edited by {@code edit}, refused with {@code code} and a message
   * containing every {@code expected} part (or accepted, for {@link #boundaries}).
   */
  record Case(
      String description,
      String example,
      Consumer<ObjectNode> edit,
      int code,
      List<String> expected) {
    ObjectNode manifest(Map<String, ObjectNode> examples) {
      ObjectNode m = examples.get(example).deepCopy();
      ObjectNode meta = (ObjectNode) m.get("metadata");
      meta.put("name", "case-" + NAMES.incrementAndGet());
      if (m.path("kind").asText().equals("LogPipeline")) {
        meta.put("namespace", NAMESPACE);
      }
      edit.accept(m);
      return m;
    }

    @Override
    public String toString() {
      return description;
    }
  }

  static List<Case> all() {
    List<Case> c = new ArrayList<>();
    // Out-of-range numbers: zero, negative, above the maximum.
    c.add(range("topic.partitions 0", "topic", "partitions", 0, "greater than or equal to 1"));
    c.add(range("topic.partitions -1", "topic", "partitions", -1, "greater than or equal to 1"));
    c.add(
        range("topic.partitions 1001", "topic", "partitions", 1001, "less than or equal to 1000"));
    c.add(range("topic.replicas 0", "topic", "replicas", 0, "greater than or equal to 1"));
    c.add(
        range(
            "topic.retentionHours 8761",
            "topic",
            "retentionHours",
            8761,
            "less than or equal to 8760"));
    c.add(
        range(
            "storage.retentionDays 0",
            "storage",
            "retentionDays",
            0,
            "greater than or equal to 1"));
    c.add(
        range(
            "storage.retentionDays -5",
            "storage",
            "retentionDays",
            -5,
            "greater than or equal to 1"));
    c.add(range("workers.replicas -1", "workers", "replicas", -1, "greater than or equal to 0"));
    c.add(range("workers.replicas 101", "workers", "replicas", 101, "less than or equal to 100"));
    c.add(range("batch.maxRows 0", "batch", "maxRows", 0, "greater than or equal to 1"));
    c.add(
        range(
            "cache.queryTtlSeconds 0",
            "cache",
            "queryTtlSeconds",
            0,
            "greater than or equal to 1"));
    c.add(range("gateway.replicas 0", "gateway", "replicas", 0, "greater than or equal to 1"));
    c.add(
        pipeline(
            "anomalies.rules[0].score 0",
            p -> rule(p, 0).put("score", 0),
            "spec.anomalies.rules[0].score",
            "greater than or equal to 1"));
    c.add(
        pipeline(
            "anomalies.burst.sigma 0.05",
            p -> spec(p).with("anomalies").with("burst").put("sigma", 0.05),
            "spec.anomalies.burst.sigma",
            "greater than or equal to 0.1"));
    c.add(
        pipeline(
            "topic.partitions a string",
            p -> spec(p).with("topic").put("partitions", "six"),
            "spec.topic.partitions",
            "must be of type integer"));
    c.add(
        pipeline(
            "batch.maxDelay 1h",
            p -> spec(p).with("batch").put("maxDelay", "1h"),
            "spec.batch.maxDelay",
            "should match"));
    c.add(
        pipeline(
            "backend not a DNS label",
            p -> spec(p).put("backend", "Team_Backend"),
            "spec.backend",
            "should match"));
    c.add(
        pipeline(
            "anomalies.rules[0].name 64 characters",
            p -> rule(p, 0).put("name", "r".repeat(64)),
            "spec.anomalies.rules[0].name",
            "may not be more than 63"));
    c.add(
        pipeline(
            "anomalies.rules[0] without score",
            p -> rule(p, 0).remove("score"),
            "spec.anomalies.rules[0].score",
            "Required value"));
    // Bad enums.
    c.add(
        pipeline(
            "format.type xml",
            p -> spec(p).with("format").put("type", "xml").remove("pattern"),
            "spec.format.type",
            "Unsupported value: \"xml\""));
    c.add(
        pipeline(
            "deletionPolicy Orphan",
            p -> spec(p).put("deletionPolicy", "Orphan"),
            "spec.deletionPolicy",
            "Unsupported value: \"Orphan\""));
    // Unknown fields at several depths, refused under strict field validation.
    c.add(unknown("unknown field at the root", p -> p.put("specs", 1), "specs"));
    c.add(
        unknown(
            "unknown field in spec", p -> spec(p).put("retentionDays", 3), "spec.retentionDays"));
    c.add(
        unknown(
            "unknown field in spec.topic",
            p -> spec(p).with("topic").put("partition", 3),
            "spec.topic.partition"));
    c.add(
        unknown(
            "unknown field in a rule's condition",
            p -> ((ObjectNode) rule(p, 0).get("when")).put("between", 3),
            "spec.anomalies.rules[0].when.between"));
    // Every CEL rule broken once, answered with its own message.
    c.add(
        pipeline(
            "rule names not unique",
            p -> {
              ArrayNode rules = (ArrayNode) spec(p).with("anomalies").get("rules");
              rules.add(rules.get(0).deepCopy());
            },
            "spec.anomalies",
            "anomalies.rules names must be unique"));
    c.add(
        pipeline(
            "a condition with two operators",
            p -> ((ObjectNode) rule(p, 0).get("when")).put("lt", 10),
            "spec.anomalies.rules[0].when",
            "set exactly one of eq, in, gt, gte, lt, lte, contains, matches, exists"));
    c.add(
        pipeline(
            "a condition with no operator",
            p -> ((ObjectNode) rule(p, 0).get("when")).remove("gte"),
            "spec.anomalies.rules[0].when",
            "set exactly one of eq, in, gt, gte, lt, lte, contains, matches, exists"));
    c.add(
        pipeline(
            "regex without pattern",
            p -> spec(p).with("format").remove("pattern"),
            "spec.format",
            "format.pattern is required when format.type is regex"));
    c.add(
        pipeline(
            "pattern with json",
            p -> spec(p).with("format").put("type", "json"),
            "spec.format",
            "format.pattern is only allowed when format.type is regex"));
    c.add(
        pipeline(
            "fields key outside the unified schema",
            p -> spec(p).with("format").with("fields").put("severity", "lvl"),
            "spec.format",
            "format.fields keys must be unified-schema fields"));
    c.add(pipeline("pipeline name with a dot", p -> name(p, "edge.nginx"), DNS_LABEL));
    c.add(pipeline("pipeline name of 64 characters", p -> name(p, NAME_63 + "d"), DNS_LABEL));
    // ClusterLogBackend.
    c.add(backendRange("limits.maxPartitions 0", "maxPartitions", 0, "greater than or equal to 1"));
    c.add(backendRange("limits.maxWorkers -1", "maxWorkers", -1, "greater than or equal to 1"));
    c.add(
        backendRange(
            "limits.maxRetentionDays 3651",
            "maxRetentionDays",
            3651,
            "less than or equal to 3650"));
    c.add(
        backend(
            "clickhouse.url not http",
            b -> spec(b).with("clickhouse").put("url", "ftp://clickhouse:8123"),
            "spec.clickhouse.url",
            "should match"));
    c.add(
        backend(
            "clickhouse.databasePrefix of 21 characters",
            b -> spec(b).with("clickhouse").put("databasePrefix", "l".repeat(21)),
            "spec.clickhouse.databasePrefix",
            "should match"));
    c.add(
        backend(
            "redis.url not redis",
            b -> spec(b).with("redis").put("url", "http://redis:6379"),
            "spec.redis.url",
            "should match"));
    c.add(backend("no kafka", b -> spec(b).remove("kafka"), "spec.kafka", "Required value"));
    c.add(
        backend(
            "credentials Secret without namespace",
            b -> spec(b).with("clickhouse").with("credentialsSecret").remove("namespace"),
            "spec.clickhouse.credentialsSecret.namespace",
            "Required value"));
    c.add(
        new Case(
            "unknown field in backend spec.clickhouse",
            BACKEND,
            b -> spec(b).with("clickhouse").put("password", "hunter2"),
            400,
            List.of("strict decoding error: unknown field \"spec.clickhouse.password\"")));
    c.add(
        new Case(
            "unknown field in backend spec.limits",
            BACKEND,
            b -> spec(b).with("limits").put("maxTables", 3),
            400,
            List.of("strict decoding error: unknown field \"spec.limits.maxTables\"")));
    c.add(
        backend(
            "kafka.authentication of an unknown type",
            b -> kafkaAuthentication(b).put("type", "plain"),
            "spec.kafka.authentication.type",
            "Unsupported value: \"plain\"",
            "\"scram-sha-512\""));
    c.add(
        backend(
            "kafka.authentication without bootstrapServers",
            b -> kafkaAuthentication(b).remove("bootstrapServers"),
            "spec.kafka.authentication.bootstrapServers",
            "Required value"));
    c.add(
        backend(
            "kafka.authentication.bootstrapServers without a port",
            b -> kafkaAuthentication(b).put("bootstrapServers", "logs-kafka-bootstrap.kafka"),
            "spec.kafka.authentication.bootstrapServers",
            "should match"));
    c.add(
        backend(
            "kafka.authentication.securityProtocol PLAINTEXT",
            b -> kafkaAuthentication(b).put("securityProtocol", "PLAINTEXT"),
            "spec.kafka.authentication.securityProtocol",
            "Unsupported value: \"PLAINTEXT\""));
    c.add(backend("backend name with a dot", b -> name(b, "shared.eu"), DNS_LABEL_BACKEND));
    c.add(backend("backend name of 64 characters", b -> name(b, NAME_63 + "d"), DNS_LABEL_BACKEND));
    return c;
  }

  private static final String DNS_LABEL_BACKEND =
      "metadata.name must be a DNS label (LogPipelines name their backend in spec.backend, a DNS"
          + " label)";

  /** Values at the edges of what the schema allows: each must be accepted. */
  static List<Case> boundaries() {
    return List.of(
        new Case("pipeline name of 63 characters", PIPELINE, p -> name(p, NAME_63), 201, List.of()),
        new Case(
            "every number at its maximum",
            PIPELINE,
            p -> {
              spec(p).with("topic").put("partitions", 1000).put("replicas", 10);
              spec(p).with("topic").put("retentionHours", 8760);
              spec(p).with("storage").put("retentionDays", 3650);
              spec(p).with("workers").put("replicas", 100);
              rule(p, 0).put("score", 100);
            },
            201,
            List.of()),
        new Case(
            "every number at its minimum",
            PIPELINE,
            p -> {
              spec(p).with("topic").put("partitions", 1).put("replicas", 1);
              spec(p).with("storage").put("retentionDays", 1);
              spec(p).with("workers").put("replicas", 0);
              rule(p, 0).put("score", 1);
            },
            201,
            List.of()),
        new Case("backend name of 63 characters", BACKEND, b -> name(b, NAME_63), 201, List.of()),
        new Case(
            "kafka.authentication scram-sha-512 over SASL_SSL",
            BACKEND,
            b -> kafkaAuthentication(b).put("securityProtocol", "SASL_SSL"),
            201,
            List.of()));
  }

  private static Case range(
      String description, String object, String field, int value, String why) {
    return pipeline(
        description,
        p -> spec(p).with(object).put(field, value),
        "spec." + object + "." + field,
        "Invalid value: " + value,
        why);
  }

  private static Case backendRange(String description, String field, int value, String why) {
    return backend(
        description,
        b -> spec(b).with("limits").put(field, value),
        "spec.limits." + field,
        "Invalid value: " + value,
        why);
  }

  private static Case pipeline(String description, Consumer<ObjectNode> edit, String... expected) {
    return new Case(description, PIPELINE, edit, 422, List.of(expected));
  }

  private static Case backend(String description, Consumer<ObjectNode> edit, String... expected) {
    return new Case(description, BACKEND, edit, 422, List.of(expected));
  }

  private static Case unknown(String description, Consumer<ObjectNode> edit, String path) {
    return new Case(
        description,
        PIPELINE,
        edit,
        400,
        List.of("strict decoding error: unknown field \"" + path + "\""));
  }

  private static ObjectNode spec(ObjectNode manifest) {
    return manifest.with("spec");
  }

  /** The backend's spec.kafka.authentication, valid until the case edits it. */
  private static ObjectNode kafkaAuthentication(ObjectNode backend) {
    ObjectNode auth = spec(backend).with("kafka").with("authentication");
    auth.put("type", "scram-sha-512").put("bootstrapServers", "logs-kafka-bootstrap.kafka:9095");
    return auth;
  }

  private static ObjectNode rule(ObjectNode pipeline, int index) {
    return (ObjectNode) spec(pipeline).with("anomalies").get("rules").get(index);
  }

  private static void name(ObjectNode manifest, String name) {
    ((ObjectNode) manifest.get("metadata")).put("name", name);
  }
}
