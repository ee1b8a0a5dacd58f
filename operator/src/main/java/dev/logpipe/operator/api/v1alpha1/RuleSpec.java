package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One anomaly rule: when {@code when} matches a record, add {@code score}. */
public class RuleSpec {
  @Required
  @Pattern(KubernetesPatterns.RULE_NAME)
  // The pattern allows 63 characters; maxLength also bounds the CEL cost of the uniqueness rule.
  @Size(max = 63)
  @JsonPropertyDescription(
      "Rule name, recorded in anomaly_reasons: lower-case letters, digits, '-' and '_'.")
  private String name;

  @Required
  @JsonPropertyDescription("The match: a field and exactly one operator.")
  private RuleCondition when;

  @Required
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Points added to the record's anomaly score (1-100).")
  private int score;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public RuleCondition getWhen() {
    return when;
  }

  public void setWhen(RuleCondition when) {
    this.when = when;
  }

  public int getScore() {
    return score;
  }

  public void setScore(int score) {
    this.score = score;
  }
}
