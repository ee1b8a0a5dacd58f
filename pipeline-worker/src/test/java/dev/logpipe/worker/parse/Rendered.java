package dev.logpipe.worker.parse;

import dev.logpipe.worker.model.LogEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A LogEvent as a flat map, so tests can state expectations as short tables. */
final class Rendered {

  private Rendered() {}

  static Map<String, String> of(LogEvent e) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("timestamp", Instant.ofEpochMilli(e.timestampMs()).toString());
    m.put("service", e.service());
    m.put("level", e.level());
    m.put("message", e.message());
    m.put("host", e.host());
    m.put("trace_id", e.traceId());
    m.put("status_code", e.hasStatusCode() ? Integer.toString(e.statusCode()) : "null");
    m.put("latency_ms", e.hasLatency() ? Double.toString(e.latencyMs()) : "null");
    m.put("error_code", e.errorCode());
    m.put("attributes", e.attributes().toString());
    return m;
  }

  /** "k=v|k=v" into a map; the values may contain '=' but not '|'. */
  static Map<String, String> expect(String spec) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String part : spec.split("\\|")) {
      int eq = part.indexOf('=');
      m.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
    }
    return m;
  }
}
