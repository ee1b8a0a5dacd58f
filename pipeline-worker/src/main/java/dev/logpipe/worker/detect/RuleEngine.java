package dev.logpipe.worker.detect;

import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.model.LogEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The per-event anomaly rules, compiled once from {@code anomalies}: each matching rule adds its
 * score (capped at 100) and its name to the event's reasons. Stateless and thread-safe.
 */
public final class RuleEngine {

  /** One compiled rule. */
  record CompiledRule(String name, Predicate<LogEvent> when, int score) {}

  private final CompiledRule[] rules;

  private RuleEngine(List<CompiledRule> rules) {
    this.rules = rules.toArray(new CompiledRule[0]);
  }

  /**
   * Compiles the built-in rules (when {@code defaults}) followed by the user's; a user rule with a
   * built-in name replaces that built-in. Throws IllegalArgumentException naming the bad rule.
   */
  public static RuleEngine compile(PipelineConfig.Anomalies anomalies) {
    Map<String, CompiledRule> byName = new LinkedHashMap<>();
    if (anomalies == null) {
      return new RuleEngine(List.of());
    }
    if (anomalies.defaults()) {
      for (CompiledRule r : DefaultRules.all()) {
        byName.put(r.name(), r);
      }
    }
    List<PipelineConfig.Rule> user = anomalies.rules() == null ? List.of() : anomalies.rules();
    for (int i = 0; i < user.size(); i++) {
      PipelineConfig.Rule r = user.get(i);
      if (r == null || r.name() == null || r.name().isBlank()) {
        throw new IllegalArgumentException("anomalies.rules[" + i + "]: a rule needs a name");
      }
      if (r.score() < 1 || r.score() > LogEvent.MAX_SCORE) {
        throw new IllegalArgumentException(
            "rule " + r.name() + ": score must be 1-100, was " + r.score());
      }
      byName.put(
          r.name(), new CompiledRule(r.name(), Conditions.compile(r.name(), r.when()), r.score()));
    }
    return new RuleEngine(new ArrayList<>(byName.values()));
  }

  /** Adds the score and reason of every matching rule to {@code event}. */
  public void apply(LogEvent event) {
    for (CompiledRule r : rules) {
      if (r.when().test(event)) {
        event.addAnomaly(r.name(), r.score());
      }
    }
  }

  /** Rule names in evaluation order (for logs and metrics tags). */
  public List<String> ruleNames() {
    List<String> names = new ArrayList<>(rules.length);
    for (CompiledRule r : rules) {
      names.add(r.name());
    }
    return names;
  }
}
