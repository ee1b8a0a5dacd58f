package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** How log records are parsed and mapped onto the unified schema. */
@ValidationRule(
    value = "self.type != 'regex' || (has(self.pattern) && size(self.pattern) > 0)",
    message = "format.pattern is required when format.type is regex")
@ValidationRule(
    value = "self.type == 'regex' || !has(self.pattern)",
    message = "format.pattern is only allowed when format.type is regex")
@ValidationRule(
    value =
        "!has(self.fields) || self.fields.all(k, k in ['timestamp', 'level', 'service', 'message',"
            + " 'host', 'trace_id', 'status_code', 'latency_ms', 'error_code'])",
    message =
        "format.fields keys must be unified-schema fields: timestamp, level, service, message,"
            + " host, trace_id, status_code, latency_ms, error_code")
public class FormatSpec {
  @Default("json")
  @JsonPropertyDescription(
      "json (one JSON object per record), logfmt (key=value pairs), regex (named groups of"
          + " pattern) or text (the whole record is the message).")
  private FormatType type = FormatType.json;

  @Size(max = 4096)
  @JsonPropertyDescription(
      "RE2 regular expression with named groups, e.g. (?<level>\\w+) (?<message>.*) or"
          + " (?P<level>\\w+); the group names are source fields. RE2 runs in linear time, so"
          + " backreferences and lookaround are refused; each line gets at most 50 ms, longer ones"
          + " go to the dead-letter topic (regex_timeout). Only with type regex.")
  private String pattern;

  @JsonPropertyDescription(
      "Maps unified fields (timestamp, level, service, message, host, trace_id, status_code,"
          + " latency_ms, error_code) to source field names or dotted paths, e.g. {level:"
          + " severity}. Unmapped fields fall back to common names. A source field fills one"
          + " unified field: mapping it to several is refused.")
  @Size(max = 9) // one per unified field; also bounds the CEL cost of the key check
  private Map<String, String> fields;

  @Size(max = 253)
  @JsonPropertyDescription("Service name for records that carry none.")
  private String defaultService;

  public FormatType getType() {
    return type;
  }

  public void setType(FormatType type) {
    this.type = type == null ? FormatType.json : type;
  }

  public String getPattern() {
    return pattern;
  }

  public void setPattern(String pattern) {
    this.pattern = pattern;
  }

  public Map<String, String> getFields() {
    return fields;
  }

  public void setFields(Map<String, String> fields) {
    this.fields = fields;
  }

  public String getDefaultService() {
    return defaultService;
  }

  public void setDefaultService(String defaultService) {
    this.defaultService = defaultService;
  }
}
