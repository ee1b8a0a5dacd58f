package dev.logpipe.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** Input formats the worker parses; the JSON value is what PipelineConfig expects. */
public enum FormatType {
  json,
  logfmt,
  regex,
  text;

  @JsonValue
  public String value() {
    return name();
  }
}
