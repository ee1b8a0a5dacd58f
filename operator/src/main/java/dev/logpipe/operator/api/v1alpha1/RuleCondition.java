package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** A field and exactly one operator; same shape as the worker's PipelineConfig.Condition. */
@ValidationRule(
    value =
        "[has(self.eq), has(self.__in__), has(self.gt), has(self.gte), has(self.lt), has(self.lte),"
            + " has(self.contains), has(self.matches), has(self.exists)].exists_one(x, x)",
    message = "set exactly one of eq, in, gt, gte, lt, lte, contains, matches, exists")
public class RuleCondition {
  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription(
      "A unified field (level, service, status_code, latency_ms, message, ...) or an attribute"
          + " key.")
  private String field;

  @JsonPropertyDescription(
      "Matches when the field equals this value. On status_code, latency_ms and timestamp the"
          + " value must be a number; on level one of the normalised levels or an alias (err,"
          + " warning, ...). A value that could never match is refused.")
  private String eq;

  @JsonProperty("in")
  @Size(min = 1, max = 100)
  @JsonPropertyDescription(
      "Matches when the field equals one of these values; the same type rules as eq apply.")
  private List<String> in;

  @JsonPropertyDescription(
      "Matches when the field is a number greater than this. Only on numeric fields (status_code,"
          + " latency_ms, timestamp) and attributes: on text fields (level, service, message,"
          + " host, trace_id, error_code) it could never match and the pipeline is refused.")
  private Double gt;

  @JsonPropertyDescription(
      "Matches when the field is a number greater than or equal to this. Only on numeric fields (status_code,"
          + " latency_ms, timestamp) and attributes: on text fields (level, service, message,"
          + " host, trace_id, error_code) it could never match and the pipeline is refused.")
  private Double gte;

  @JsonPropertyDescription(
      "Matches when the field is a number less than this. Only on numeric fields (status_code,"
          + " latency_ms, timestamp) and attributes: on text fields (level, service, message,"
          + " host, trace_id, error_code) it could never match and the pipeline is refused.")
  private Double lt;

  @JsonPropertyDescription(
      "Matches when the field is a number less than or equal to this. Only on numeric fields (status_code,"
          + " latency_ms, timestamp) and attributes: on text fields (level, service, message,"
          + " host, trace_id, error_code) it could never match and the pipeline is refused.")
  private Double lte;

  @JsonPropertyDescription("Matches when the field contains this text.")
  private String contains;

  @JsonPropertyDescription(
      "Matches when this RE2 regular expression finds a match in the field (linear time: no"
          + " backreferences or lookaround; a field that needs more than 50 ms does not match).")
  private String matches;

  @JsonPropertyDescription("true: matches when the field is present; false: when it is absent.")
  private Boolean exists;

  public String getField() {
    return field;
  }

  public void setField(String field) {
    this.field = field;
  }

  public String getEq() {
    return eq;
  }

  public void setEq(String eq) {
    this.eq = eq;
  }

  public List<String> getIn() {
    return in;
  }

  public void setIn(List<String> in) {
    this.in = in;
  }

  public Double getGt() {
    return gt;
  }

  public void setGt(Double gt) {
    this.gt = gt;
  }

  public Double getGte() {
    return gte;
  }

  public void setGte(Double gte) {
    this.gte = gte;
  }

  public Double getLt() {
    return lt;
  }

  public void setLt(Double lt) {
    this.lt = lt;
  }

  public Double getLte() {
    return lte;
  }

  public void setLte(Double lte) {
    this.lte = lte;
  }

  public String getContains() {
    return contains;
  }

  public void setContains(String contains) {
    this.contains = contains;
  }

  public String getMatches() {
    return matches;
  }

  public void setMatches(String matches) {
    this.matches = matches;
  }

  public Boolean getExists() {
    return exists;
  }

  public void setExists(Boolean exists) {
    this.exists = exists;
  }
}
