package dev.logpipe.worker.parse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-record scratch state shared by all formats: the best candidate for each unified field and the
 * bounded attribute map. One per parse call, so parsers stay thread-safe.
 */
final class FieldCollector {

  static final String ATTRIBUTES_DROPPED = "_attributes_dropped";
  static final String TRUNCATED = "_truncated";
  private static final int MAX_KEY_CHARS = 256;

  private final FieldMapping mapping;
  private final ParseLimits limits;
  private final String[] values = new String[UnifiedField.all().length];
  private final String[] keys = new String[values.length];
  private final int[] priorities = new int[values.length];
  private final Map<String, String> attributes = new LinkedHashMap<>();
  private int dropped;
  private StringBuilder truncated;

  FieldCollector(FieldMapping mapping, ParseLimits limits) {
    this.mapping = mapping;
    this.limits = limits;
  }

  /** A source key and its (stringified) value: fills a unified field or becomes an attribute. */
  void offer(String key, String value) {
    FieldMapping.Slot slot = mapping.lookup(key);
    if (slot == null) {
      attribute(key, value);
      return;
    }
    int i = slot.field().ordinal();
    if (values[i] != null && slot.priority() >= priorities[i]) {
      attribute(key, value);
      return;
    }
    if (values[i] != null) {
      // A better-named candidate arrived: keep the loser as an attribute, nothing is lost.
      attribute(keys[i], values[i]);
    }
    values[i] = value;
    keys[i] = key;
    priorities[i] = slot.priority();
  }

  String value(UnifiedField field) {
    return values[field.ordinal()];
  }

  String sourceKey(UnifiedField field) {
    return keys[field.ordinal()];
  }

  /** Adds an attribute within the count and length bounds. */
  void attribute(String key, String value) {
    if (attributes.size() >= limits.maxAttributes() && !attributes.containsKey(key)) {
      dropped++;
      return;
    }
    String k = cut(key, MAX_KEY_CHARS, key);
    attributes.put(k, cut(value, limits.maxValueChars(), k));
  }

  /** Bookkeeping attributes (prefixed with _) bypass the count bound so they are never lost. */
  void note(String key, String value) {
    attributes.put(key, cut(value, limits.maxValueChars(), key));
  }

  /** Cuts {@code value} to {@code max} chars, recording {@code key} in {@code _truncated}. */
  String cut(String value, int max, String key) {
    if (value.length() <= max) {
      return value;
    }
    int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
    if (truncated == null) {
      truncated = new StringBuilder();
    } else if (truncated.length() < MAX_KEY_CHARS) {
      truncated.append(',');
    }
    if (truncated.length() < MAX_KEY_CHARS) {
      truncated.append(key, 0, Math.min(key.length(), 64));
    }
    return value.substring(0, end);
  }

  /** The attribute map with the bookkeeping notes added; call once, after all offers. */
  Map<String, String> finishAttributes() {
    if (dropped > 0) {
      attributes.put(ATTRIBUTES_DROPPED, Integer.toString(dropped));
    }
    if (truncated != null) {
      attributes.put(TRUNCATED, truncated.toString());
    }
    return attributes;
  }
}
