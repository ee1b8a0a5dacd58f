package dev.logpipe.worker.parse;

import java.util.HashMap;
import java.util.Map;

/**
 * Resolves a source key (a JSON dotted path, a logfmt key, a regex group name) to the unified field
 * it fills and the priority of that claim. Built once per pipeline; lookups are one hash probe.
 *
 * <p>An explicitly mapped field uses only its mapped path (priority 0): a record's other keys that
 * happen to carry a fallback name stay attributes, which is what a user who mapped it expects.
 */
public final class FieldMapping {

  /** Where a key goes: the field and its priority (lower wins). */
  record Slot(UnifiedField field, int priority) {}

  private final Map<String, Slot> slots = new HashMap<>();

  public FieldMapping(Map<String, String> explicit) {
    Map<String, String> mapped = explicit == null ? Map.of() : explicit;
    for (UnifiedField field : UnifiedField.all()) {
      String path = mapped.get(field.configName());
      if (path != null && !path.isBlank()) {
        slots.put(path.strip(), new Slot(field, 0));
        continue;
      }
      int priority = 1;
      for (String name : field.fallbacks()) {
        // First claim wins: "message" maps to MESSAGE even though it is listed later elsewhere.
        slots.putIfAbsent(name, new Slot(field, priority++));
      }
    }
  }

  /** The slot for a source key, or null when the key is an attribute. */
  Slot lookup(String key) {
    return slots.get(key);
  }
}
