package dev.logpipe.worker.detect;

import dev.logpipe.worker.model.LogEvent;
import dev.logpipe.worker.parse.Numbers;
import dev.logpipe.worker.parse.UnifiedField;

/**
 * A rule's {@code field}, resolved once: a unified column or, for any other name, an attribute.
 * Absent values read as null (text) or NaN (number), so no operator but {@code exists} matches
 * them.
 */
final class FieldRef {

  private final UnifiedField column;
  private final String attribute;

  private FieldRef(UnifiedField column, String attribute) {
    this.column = column;
    this.attribute = attribute;
  }

  static FieldRef of(String name) {
    UnifiedField column = UnifiedField.byConfigName(name);
    return new FieldRef(column, column == null ? name : null);
  }

  /** True for columns stored as numbers, where {@code eq}/{@code in} compare numerically. */
  boolean numeric() {
    return column == UnifiedField.STATUS_CODE
        || column == UnifiedField.LATENCY_MS
        || column == UnifiedField.TIMESTAMP;
  }

  boolean isLevel() {
    return column == UnifiedField.LEVEL;
  }

  String text(LogEvent e) {
    if (column == null) {
      return e.attributes().get(attribute);
    }
    return switch (column) {
      case TIMESTAMP -> Long.toString(e.timestampMs());
      case LEVEL -> e.level();
      case SERVICE -> e.service();
      case MESSAGE -> emptyAsNull(e.message());
      case HOST -> emptyAsNull(e.host());
      case TRACE_ID -> emptyAsNull(e.traceId());
      case ERROR_CODE -> emptyAsNull(e.errorCode());
      case STATUS_CODE -> e.hasStatusCode() ? Integer.toString(e.statusCode()) : null;
      case LATENCY_MS -> e.hasLatency() ? Double.toString(e.latencyMs()) : null;
    };
  }

  double number(LogEvent e) {
    if (column == UnifiedField.STATUS_CODE) {
      return e.hasStatusCode() ? e.statusCode() : Double.NaN;
    }
    if (column == UnifiedField.LATENCY_MS) {
      return e.latencyMs();
    }
    if (column == UnifiedField.TIMESTAMP) {
      return e.timestampMs();
    }
    return Numbers.parseDouble(text(e));
  }

  private static String emptyAsNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
