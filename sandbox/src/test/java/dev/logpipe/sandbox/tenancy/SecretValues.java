package dev.logpipe.sandbox.tenancy;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Credential values by where they live ({@code namespace/secret/key}), decoded, to find which keys
 * of other Secrets hold one. A long value (a random password) is found inside a longer one too (a
 * JAAS line carries it); a value shorter than {@value #SUBSTRING_MIN} characters (a user name such
 * as {@code logpipe}) only when equal, or every {@code logpipe.*} user name would match it.
 */
public final class SecretValues {
  static final int SUBSTRING_MIN = 16;

  private final Map<String, String> byPlace;

  private SecretValues(Map<String, String> byPlace) {
    this.byPlace = byPlace;
  }

  public static SecretValues of(Collection<Secret> secrets) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Secret s : secrets) {
      decoded(s).forEach((key, value) -> values.put(place(s) + "/" + key, value));
    }
    return new SecretValues(values);
  }

  /**
   * These values less those {@code other} holds too (e.g. B's own, less B's copy of an admin's).
   */
  public SecretValues without(SecretValues other) {
    Map<String, String> kept = new LinkedHashMap<>(byPlace);
    kept.values().removeIf(other.byPlace::containsValue);
    return new SecretValues(kept);
  }

  /** Where the values come from. */
  public Set<String> places() {
    return byPlace.keySet();
  }

  public boolean holds(String value) {
    return byPlace.containsValue(value);
  }

  /**
   * Keys of {@code secrets} ({@code secret/key}) holding one of these values, each with the places
   * whose value it holds; empty when none does.
   */
  public Map<String, Set<String>> foundIn(Collection<Secret> secrets) {
    Map<String, Set<String>> found = new TreeMap<>();
    for (Secret s : secrets) {
      decoded(s)
          .forEach(
              (key, value) ->
                  byPlace.forEach(
                      (origin, secret) -> {
                        boolean holds =
                            secret.length() >= SUBSTRING_MIN
                                ? value.contains(secret)
                                : value.equals(secret);
                        if (!secret.isEmpty() && holds) {
                          found
                              .computeIfAbsent(
                                  s.getMetadata().getName() + "/" + key, k -> new TreeSet<>())
                              .add(origin);
                        }
                      }));
    }
    return found;
  }

  private static String place(Secret s) {
    return s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
  }

  private static Map<String, String> decoded(Secret s) {
    Map<String, String> values = new TreeMap<>();
    if (s.getData() != null) {
      s.getData()
          .forEach(
              (k, v) ->
                  values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (s.getStringData() != null) {
      values.putAll(s.getStringData()); // the API returns data only; a fake might not
    }
    return values;
  }
}
