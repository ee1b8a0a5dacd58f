package dev.logpipe.worker.parse;

import java.util.List;

/**
 * The unified-schema fields a parser looks for, each with the source names tried when the pipeline
 * does not map it explicitly. Earlier names win when a record has several. camelCase variants are
 * there for regex named groups, which Java restricts to letters and digits.
 */
public enum UnifiedField {
  TIMESTAMP("timestamp", List.of("ts", "time", "timestamp", "@timestamp", "datetime", "date")),
  LEVEL("level", List.of("level", "severity", "lvl", "log.level", "loglevel", "levelname")),
  SERVICE("service", List.of("service", "app", "service.name", "application", "serviceName")),
  MESSAGE("message", List.of("msg", "message", "log")),
  HOST("host", List.of("host", "hostname", "host.name", "hostName")),
  TRACE_ID("trace_id", List.of("trace_id", "traceId", "trace.id", "traceid")),
  STATUS_CODE(
      "status_code",
      List.of("status", "status_code", "http.status", "statusCode", "http.status_code")),
  LATENCY_MS(
      "latency_ms",
      List.of(
          "latency_ms",
          "duration_ms",
          "latency",
          "elapsed_ms",
          "latencyMs",
          "durationMs",
          "elapsedMs")),
  ERROR_CODE("error_code", List.of("error_code", "err_code", "error.code", "errorCode"));

  private static final UnifiedField[] ALL = values();

  private final String configName;
  private final List<String> fallbacks;

  UnifiedField(String configName, List<String> fallbacks) {
    this.configName = configName;
    this.fallbacks = fallbacks;
  }

  /** The name used in {@code format.fields} and in rules. */
  public String configName() {
    return configName;
  }

  List<String> fallbacks() {
    return fallbacks;
  }

  static UnifiedField[] all() {
    return ALL;
  }

  /** The field with this config name, or null. */
  public static UnifiedField byConfigName(String name) {
    for (UnifiedField f : ALL) {
      if (f.configName.equals(name)) {
        return f;
      }
    }
    return null;
  }
}
