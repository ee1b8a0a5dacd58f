package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.FormatType;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.api.v1alpha1.LogPipelineSpec;
import dev.logpipe.operator.api.v1alpha1.RuleCondition;
import dev.logpipe.operator.api.v1alpha1.RuleSpec;
import dev.logpipe.operator.testing.TestingLogpipe;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Manifests an API server would prune or refuse, written straight into the mock API (which does
 * neither, as a server whose CRD differs from the operator's would not): the operator keeps
 * running, says what it ignored or refused, and a healthy pipeline keeps being reconciled
 * throughout (issue 13, findings 1 and 3).
 */
@WithDevServices({DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS})
class HostileManifestsIT {
  private static final String NS = "team-hostile";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static TestingLogpipe env;

  @BeforeAll
  static void start(DevServices services) {
    env = new TestingLogpipe();
    env.namespace(NS, true);
    env.defaultBackend(services);
    env.pipeline(NS, "healthy", s -> {});
    await().atMost(Duration.ofSeconds(30)).until(() -> deploymentReplicas("healthy") == 1);
  }

  @AfterAll
  static void stop() {
    env.close();
  }

  @Test
  void unknownFieldsAreIgnoredListedAndTheOperatorKeepsReconciling() {
    raw(
        "colour",
        spec -> {
          spec.with("format").put("colour", "blue");
          spec.with("topic").putObject("compaction").put("enabled", true);
          spec.put("shards", 3);
        });

    Condition accepted = awaitCondition("colour", "Accepted");
    assertThat(accepted.getStatus()).isEqualTo("True");
    assertThat(accepted.getReason()).isEqualTo("AcceptedWithWarnings");
    assertThat(accepted.getMessage())
        .contains("spec.format.colour, spec.shards, spec.topic.compaction");
    assertThat(env.get(NS, "colour").getStatus().getIgnoredFields())
        .containsExactly("spec.format.colour", "spec.shards", "spec.topic.compaction");
    await().atMost(Duration.ofSeconds(20)).until(() -> topic("colour") != null);

    assertHealthyStillReconciled(3);
  }

  @Test
  void unreadableValuesAreRefusedByPath() {
    raw("csv", spec -> spec.with("format").put("type", "csv"));
    raw("wordy", spec -> spec.with("topic").put("partitions", "six"));

    assertInvalid("csv", "spec.format.type: 'csv' is not one of [json, logfmt, regex, text]");
    assertInvalid("wordy", "spec.topic.partitions: must be an integer, was 'six'");
    assertHealthyStillReconciled(2);
  }

  @Test
  void lowerBoundsEnumsAndCelRulesAreEnforcedByTheOperator() {
    env.pipeline(NS, "negative", s -> s.getTopic().setPartitions(-1));
    env.pipeline(NS, "zero-partitions", s -> s.getTopic().setPartitions(0));
    env.pipeline(NS, "zero-replicas", s -> s.getTopic().setReplicas(0));
    env.pipeline(NS, "zero-retention", s -> s.getStorage().setRetentionDays(0));
    raw("regex-no-pattern", spec -> spec.with("format").put("type", "regex"));
    raw("bad-policy", spec -> spec.put("deletionPolicy", "Forget"));

    assertInvalid("negative", "spec.topic.partitions: must be between 1 and 1000, was -1");
    assertInvalid("zero-partitions", "spec.topic.partitions: must be between 1 and 1000, was 0");
    assertInvalid("zero-replicas", "spec.topic.replicas: must be between 1 and 10, was 0");
    assertInvalid(
        "zero-retention", "spec.storage.retentionDays: must be between 1 and 3650, was 0");
    assertInvalid(
        "regex-no-pattern", "spec.format: format.pattern is required when format.type is regex");
    assertInvalid("bad-policy", "spec.deletionPolicy: 'Forget' is not one of [Retain, Delete]");
    for (String name : new String[] {"negative", "zero-partitions", "zero-replicas"}) {
      assertThat(topic(name)).as(name).isNull();
    }
    assertHealthyStillReconciled(4);
  }

  /** More schema rules, each written as raw JSON a server with another CRD might let through. */
  @Test
  void everyOtherSchemaRuleIsNamedToo() {
    Map<String, Consumer<ObjectNode>> cases = new java.util.LinkedHashMap<>();
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    cases.put("neg-workers", s -> s.with("workers").put("replicas", -1));
    expected.put("neg-workers", "spec.workers.replicas: must be between 0 and 100, was -1");
    cases.put("zero-hours", s -> s.with("topic").put("retentionHours", 0));
    expected.put("zero-hours", "spec.topic.retentionHours: must be between 1 and 8760, was 0");
    cases.put("half-replica", s -> s.with("topic").put("replicas", 1.5));
    expected.put("half-replica", "spec.topic.replicas: must be an integer");
    cases.put("bad-backend-name", s -> s.put("backend", "Team_A"));
    expected.put("bad-backend-name", "spec.backend: 'Team_A' does not match");
    cases.put(
        "two-ops",
        s ->
            rules(
                s,
                "{\"name\":\"r\",\"score\":5,\"when\":{\"field\":\"level\",\"eq\":\"ERROR\",\"contains\":\"x\"}}"));
    expected.put(
        "two-ops", "set exactly one of eq, in, gt, gte, lt, lte, contains, matches, exists");
    cases.put("dup-rules", s -> rules(s, RULE, RULE));
    expected.put("dup-rules", "spec.anomalies: anomalies.rules names must be unique");
    cases.put("zero-score", s -> rules(s, RULE.replace("\"score\":5", "\"score\":0")));
    expected.put("zero-score", "spec.anomalies.rules[0].score: must be between 1 and 100, was 0");
    cases.put("bad-key", s -> s.with("format").putObject("fields").put("severity", "lvl"));
    expected.put("bad-key", "format.fields keys must be unified-schema fields");
    cases.put("json-pattern", s -> s.with("format").put("pattern", "(?<message>.*)"));
    expected.put("json-pattern", "format.pattern is only allowed when format.type is regex");
    cases.put("bad-rule-name", s -> rules(s, RULE.replace("\"name\":\"r\"", "\"name\":\"R!\"")));
    expected.put("bad-rule-name", "spec.anomalies.rules[0].name: 'R!' does not match");
    cases.put(
        "status-text",
        s ->
            rules(
                s,
                RULE.replace(
                    "\"field\":\"level\",\"eq\":\"ERROR\"",
                    "\"field\":\"status_code\",\"eq\":\"server-error\"")));
    expected.put("status-text", "anomalies.rules[0].when.eq: status_code is a number");
    cases.forEach(HostileManifestsIT::raw);

    expected.forEach(HostileManifestsIT::assertInvalid);
    assertHealthyStillReconciled(3);
  }

  private static final String RULE =
      "{\"name\":\"r\",\"score\":5,\"when\":{\"field\":\"level\",\"eq\":\"ERROR\"}}";

  private static void rules(ObjectNode spec, String... rules) {
    var list = spec.with("anomalies").putArray("rules");
    for (String r : rules) {
      list.add(JSON.unmarshal(r, ObjectNode.class));
    }
  }

  @Test
  void aPipelineOnAnInvalidBackendSaysSoInsteadOfFailingLater() {
    env.backend("broken", "", "clickhouse-admin", null);
    env.pipeline(NS, "on-broken", s -> s.setBackend("broken"));

    Condition accepted = awaitCondition("on-broken", "Accepted");
    assertThat(accepted.getReason()).isEqualTo("BackendNotReady");
    assertThat(accepted.getMessage()).contains("ClusterLogBackend broken has an invalid spec");
    assertHealthyStillReconciled(1);
  }

  @Test
  void rulesMappingsAndPatternsThatCouldNeverWorkAreRefused() {
    env.pipeline(NS, "level-gte", s -> s.getAnomalies().setRules(List.of(rule("level", 1.0))));
    env.pipeline(NS, "message-gt", s -> s.getAnomalies().setRules(List.of(rule("message", 5.0))));
    env.pipeline(
        NS,
        "one-source",
        s -> s.getFormat().setFields(Map.of("level", "msg", "message", "msg", "service", "msg")));
    env.pipeline(NS, "backref", s -> regex(s, "^(?<level>\\w+) (?<message>.*) \\1$"));
    env.pipeline(NS, "lookahead", s -> regex(s, "^(?!health)(?<message>.*)$"));
    env.pipeline(NS, "catastrophic", s -> regex(s, "^(?<message>(a+){1,40})$"));

    assertInvalid(
        "level-gte",
        "anomalies.rules[0].when.gte: level is a text field and gte compares numbers, so it never"
            + " matches");
    assertInvalid(
        "message-gt",
        "anomalies.rules[0].when.gt: message is a text field and gt compares numbers");
    assertInvalid(
        "one-source", "format.fields: source field 'msg' is mapped to level, message, service");
    assertInvalid(
        "backref",
        "format.pattern: uses a backreference (\\1 or \\k<name>), which the linear-time regex"
            + " engine (RE2) does not support");
    assertInvalid("lookahead", "format.pattern: uses a negative lookahead (?!...)");
    // Linear on RE2: accepted, and the worker bounds each line (RegexSafetyTest).
    assertThat(awaitCondition("catastrophic", "Accepted").getStatus()).isEqualTo("True");
    assertHealthyStillReconciled(1);
  }

  private static RuleSpec rule(String field, double gte) {
    RuleCondition when = new RuleCondition();
    when.setField(field);
    if ("level".equals(field)) {
      when.setGte(gte);
    } else {
      when.setGt(gte);
    }
    RuleSpec rule = new RuleSpec();
    rule.setName("r");
    rule.setScore(10);
    rule.setWhen(when);
    return rule;
  }

  private static void regex(LogPipelineSpec spec, String pattern) {
    spec.getFormat().setType(FormatType.regex);
    spec.getFormat().setPattern(pattern);
  }

  private static void assertInvalid(String name, String message) {
    Condition accepted = awaitCondition(name, "Accepted");
    assertThat(accepted.getStatus()).as(name).isEqualTo("False");
    assertThat(accepted.getReason()).as(name).isEqualTo("InvalidSpec");
    assertThat(accepted.getMessage()).as(name).contains(message);
    assertThat(condition(env.get(NS, name), "Ready").getReason()).isEqualTo("InvalidSpec");
  }

  /** The healthy pipeline still follows its spec: its informer and reconciler are alive. */
  private static void assertHealthyStillReconciled(int replicas) {
    env.edit(NS, "healthy", s -> s.getWorkers().setReplicas(replicas));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(deploymentReplicas("healthy")).isEqualTo(replicas));
    LogPipeline healthy = env.get(NS, "healthy");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(env.get(NS, "healthy").getStatus().getObservedGeneration())
                    .isEqualTo(healthy.getMetadata().getGeneration()));
  }

  /** A LogPipeline written as raw JSON, so it can hold what the typed classes cannot. */
  private static void raw(String name, Consumer<ObjectNode> spec) {
    ObjectNode node = JSON.convertValue(TestingFixtures.pipeline(NS, name), ObjectNode.class);
    ((ObjectNode) node.get("metadata")).remove("generation");
    node.remove("status");
    spec.accept(node.with("spec"));
    env.client().resource(JSON.convertValue(node, GenericKubernetesResource.class)).create();
  }

  private static Condition awaitCondition(String name, String type) {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(condition(env.get(NS, name), type)).isNotNull());
    return condition(env.get(NS, name), type);
  }

  private static int deploymentReplicas(String name) {
    var d = env.client().apps().deployments().inNamespace(NS).withName(name + "-worker").get();
    return d == null ? -1 : d.getSpec().getReplicas();
  }

  private static KafkaTopic topic(String name) {
    return env.client()
        .resources(KafkaTopic.class)
        .inNamespace(STRIMZI_NS)
        .withName("logpipe." + NS + "." + name)
        .get();
  }
}
