package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Anomaly scoring. Each record's score is the sum of matching rules, capped at 100. */
@ValidationRule(
    value = "!has(self.rules) || self.rules.all(r, self.rules.exists_one(o, o.name == r.name))",
    message = "anomalies.rules names must be unique")
public class AnomaliesSpec {
  @Default("true")
  @JsonPropertyDescription(
      "Add the built-in rules (error level, HTTP 5xx/4xx, slow requests, error code present)"
          + " before your own.")
  private boolean defaults = true;

  @Size(max = 100)
  @JsonPropertyDescription("Your own rules, evaluated on every record.")
  private List<RuleSpec> rules = new ArrayList<>();

  @JsonPropertyDescription(
      "Error-burst detection per service; omitted values use the worker's defaults.")
  private BurstSpec burst;

  public boolean isDefaults() {
    return defaults;
  }

  public void setDefaults(boolean defaults) {
    this.defaults = defaults;
  }

  public List<RuleSpec> getRules() {
    return rules;
  }

  public void setRules(List<RuleSpec> rules) {
    this.rules = rules == null ? new ArrayList<>() : rules;
  }

  public BurstSpec getBurst() {
    return burst;
  }

  public void setBurst(BurstSpec burst) {
    this.burst = burst;
  }
}
