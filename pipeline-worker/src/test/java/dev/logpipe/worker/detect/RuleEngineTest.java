package dev.logpipe.worker.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logpipe.worker.config.PipelineConfig.Anomalies;
import dev.logpipe.worker.config.PipelineConfig.Condition;
import dev.logpipe.worker.config.PipelineConfig.Rule;
import dev.logpipe.worker.model.LogEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleEngineTest {

  private static LogEvent event() {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("region", "eu-west-1");
    attributes.put("retries", "7");
    attributes.put("note", "not a number");
    return new LogEvent()
        .timestampMs(1_000)
        .service("checkout")
        .level("WARN")
        .message("payment gateway timeout after 3 retries")
        .host("node-1")
        .statusCode(504)
        .latencyMs(4200)
        .attributes(attributes);
  }

  private static Condition when(String field) {
    return new Condition(field, null, null, null, null, null, null, null, null, null);
  }

  private static boolean matches(Condition c) {
    LogEvent e = event();
    RuleEngine.compile(new Anomalies(false, List.of(new Rule("r", c, 10)), null)).apply(e);
    return e.anomalyReasons().contains("r");
  }

  private static Condition eq(String field, String v) {
    return new Condition(field, v, null, null, null, null, null, null, null, null);
  }

  private static Condition in(String field, String... v) {
    return new Condition(field, null, List.of(v), null, null, null, null, null, null, null);
  }

  private static Condition gt(String field, double v) {
    return new Condition(field, null, null, v, null, null, null, null, null, null);
  }

  private static Condition gte(String field, double v) {
    return new Condition(field, null, null, null, v, null, null, null, null, null);
  }

  private static Condition lt(String field, double v) {
    return new Condition(field, null, null, null, null, v, null, null, null, null);
  }

  private static Condition lte(String field, double v) {
    return new Condition(field, null, null, null, null, null, v, null, null, null);
  }

  private static Condition contains(String field, String v) {
    return new Condition(field, null, null, null, null, null, null, v, null, null);
  }

  private static Condition regex(String field, String v) {
    return new Condition(field, null, null, null, null, null, null, null, v, null);
  }

  private static Condition exists(String field, boolean v) {
    return new Condition(field, null, null, null, null, null, null, null, null, v);
  }

  @Test
  void eachOperatorMatchesAndMisses() {
    assertThat(matches(eq("service", "checkout"))).isTrue();
    assertThat(matches(eq("service", "Checkout"))).isFalse();
    assertThat(matches(eq("level", "warning"))).as("level values are normalised").isTrue();
    assertThat(matches(eq("status_code", "504"))).isTrue();
    assertThat(matches(eq("latency_ms", "4200"))).as("numeric eq").isTrue();
    assertThat(matches(eq("region", "eu-west-1"))).as("attribute").isTrue();
    assertThat(matches(in("level", "error", "warn"))).isTrue();
    assertThat(matches(in("level", "ERROR", "FATAL"))).isFalse();
    assertThat(matches(in("status_code", "502", "504"))).isTrue();
    assertThat(matches(gt("latency_ms", 4200))).isFalse();
    assertThat(matches(gte("latency_ms", 4200))).isTrue();
    assertThat(matches(lt("status_code", 505))).isTrue();
    assertThat(matches(lte("status_code", 503))).isFalse();
    assertThat(matches(gt("retries", 5))).as("numeric attribute").isTrue();
    assertThat(matches(gt("note", 5))).as("non-numeric attribute").isFalse();
    assertThat(matches(gt("missing", -1))).isFalse();
    assertThat(matches(contains("message", "timeout"))).isTrue();
    assertThat(matches(contains("message", "Timeout"))).isFalse();
    assertThat(matches(regex("message", "after \\d+ retries"))).isTrue();
    assertThat(matches(regex("host", "^db-"))).isFalse();
    assertThat(matches(exists("host", true))).isTrue();
    assertThat(matches(exists("trace_id", true))).as("empty column counts as absent").isFalse();
    assertThat(matches(exists("trace_id", false))).isTrue();
    assertThat(matches(exists("region", true))).isTrue();
    assertThat(matches(exists("error_code", false))).isTrue();
  }

  @Test
  void defaultsScoreTheClassicSetInOrder() {
    LogEvent e = event().level("ERROR").errorCode("E_TIMEOUT");
    RuleEngine.compile(new Anomalies(true, List.of(), null)).apply(e);
    assertThat(e.anomalyReasons())
        .containsExactly("error-level", "http-5xx", "slow-request", "error-code");
    assertThat(e.anomalyScore()).isEqualTo(100); // 50 + 40 + 30 + 20 capped
  }

  @Test
  void http4xxIsALowerBuiltInScore() {
    LogEvent e = event().statusCode(404).latencyMs(Double.NaN);
    RuleEngine.compile(new Anomalies(true, List.of(), null)).apply(e);
    assertThat(e.anomalyReasons()).containsExactly("http-4xx");
    assertThat(e.anomalyScore()).isEqualTo(15);
  }

  @Test
  void quietEventScoresZero() {
    LogEvent e = new LogEvent().level("INFO").service("a");
    RuleEngine.compile(new Anomalies(true, List.of(), null)).apply(e);
    assertThat(e.anomalyScore()).isZero();
    assertThat(e.anomalyReasons()).isEmpty();
  }

  @Test
  void scoresAddUpAndCapAt100WithAllReasonsRecorded() {
    LogEvent e = event();
    RuleEngine.compile(
            new Anomalies(
                false,
                List.of(
                    new Rule("slow", gt("latency_ms", 3000), 60),
                    new Rule("gateway", contains("message", "gateway"), 30),
                    new Rule("eu", eq("region", "eu-west-1"), 25),
                    new Rule("never", eq("service", "other"), 99)),
                null))
        .apply(e);
    assertThat(e.anomalyReasons()).containsExactly("slow", "gateway", "eu");
    assertThat(e.anomalyScore()).isEqualTo(100);
  }

  @Test
  void userRuleReplacesTheBuiltInOfTheSameName() {
    LogEvent e = event().level("ERROR");
    RuleEngine engine =
        RuleEngine.compile(
            new Anomalies(true, List.of(new Rule("error-level", eq("level", "FATAL"), 90)), null));
    engine.apply(e);
    assertThat(e.anomalyReasons()).doesNotContain("error-level");
    assertThat(engine.ruleNames()).containsOnlyOnce("error-level");
  }

  @Test
  void badRulesFailFastNamingTheRule() {
    assertThatThrownBy(
            () ->
                RuleEngine.compile(
                    new Anomalies(
                        false, List.of(new Rule("bad-regex", regex("message", "("), 5)), null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad-regex");
    assertThatThrownBy(
            () ->
                RuleEngine.compile(
                    new Anomalies(false, List.of(new Rule("no-op", when("level"), 5)), null)))
        .hasMessageContaining("no-op")
        .hasMessageContaining("exactly one operator");
    Condition two =
        new Condition("level", "ERROR", List.of("WARN"), null, null, null, null, null, null, null);
    assertThatThrownBy(
            () ->
                RuleEngine.compile(
                    new Anomalies(false, List.of(new Rule("two-ops", two, 5)), null)))
        .hasMessageContaining("two-ops");
    assertThatThrownBy(
            () ->
                RuleEngine.compile(
                    new Anomalies(false, List.of(new Rule("no-field", when(null), 5)), null)))
        .hasMessageContaining("no-field");
  }
}
