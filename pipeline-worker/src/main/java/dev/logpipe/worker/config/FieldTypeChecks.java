package dev.logpipe.worker.config;

import dev.logpipe.worker.parse.LevelNormalizer;
import dev.logpipe.worker.parse.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Specs that are well-formed but could never do what they say (issue 13, finding 5), refused with
 * the reason instead of silently never matching: an order comparison on a text column ({@code level
 * gte 1}), a value a numeric column or the normalised level can never equal, and one source field
 * mapped to several unified fields (only one of them would receive it). Attributes (any other field
 * name) are free-form strings, so every operator stays allowed on them.
 */
final class FieldTypeChecks {
  /** Unified columns stored as numbers; eq/in compare them numerically. */
  static final Set<String> NUMERIC = Set.of("status_code", "latency_ms", "timestamp");

  /** Unified columns stored as text; gt/gte/lt/lte never match them. */
  static final Set<String> TEXT =
      Set.of("level", "service", "message", "host", "trace_id", "error_code");

  static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");

  private FieldTypeChecks() {}

  static void condition(String at, PipelineConfig.Condition w, List<String> errors) {
    String field = w.field() == null ? "" : w.field().strip();
    if (TEXT.contains(field)) {
      String op =
          w.gt() != null
              ? "gt"
              : w.gte() != null ? "gte" : w.lt() != null ? "lt" : w.lte() != null ? "lte" : null;
      if (op != null) {
        errors.add(
            at
                + "."
                + op
                + ": "
                + field
                + " is a text field and "
                + op
                + " compares numbers, so it never matches; "
                + ("level".equals(field)
                    ? "use in, e.g. in: [ERROR, FATAL] (levels are " + LEVELS + ")"
                    : "use eq, in, contains or matches"));
      }
    }
    List<String> values = new ArrayList<>();
    if (w.eq() != null) {
      values.add(w.eq());
    }
    if (w.in() != null) {
      w.in().stream().filter(v -> v != null).forEach(values::add);
    }
    String op = w.eq() != null ? "eq" : "in";
    for (String v : values) {
      if (NUMERIC.contains(field) && Double.isNaN(Numbers.parseDouble(v))) {
        errors.add(at + "." + op + ": " + field + " is a number, so '" + v + "' never matches it");
      } else if ("level".equals(field) && LevelNormalizer.normalize(v) == null) {
        errors.add(
            at
                + "."
                + op
                + ": levels are normalised to one of "
                + LEVELS
                + ", so '"
                + v
                + "' never matches");
      }
    }
  }

  /** One source field mapped to several unified fields. */
  static void mappings(Map<String, String> fields, List<String> errors) {
    Map<String, Set<String>> targets = new TreeMap<>();
    fields.forEach(
        (unified, source) -> {
          if (source != null && !source.isBlank()) {
            targets.computeIfAbsent(source.strip(), s -> new TreeSet<>()).add(unified);
          }
        });
    targets.forEach(
        (source, unified) -> {
          if (unified.size() > 1) {
            errors.add(
                "format.fields: source field '"
                    + source
                    + "' is mapped to "
                    + String.join(", ", unified)
                    + "; a source field fills one unified field, so map the others to different"
                    + " source fields or remove them");
          }
        });
  }
}
