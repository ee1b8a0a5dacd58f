package dev.logpipe.worker.config;

import java.util.List;

/** A pipeline configuration that cannot be used; the message names every field at fault. */
public class ConfigException extends RuntimeException {
  private final List<String> errors;

  public ConfigException(List<String> errors) {
    super("invalid pipeline config: " + String.join("; ", errors));
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }
}
