package dev.logpipe.sandbox.api;

import dev.logpipe.operator.testing.TestingServerSideApply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The patch semantics the mock lacks. {@link #json} is RFC 7386 merge patch: objects merge, arrays
 * and scalars are replaced, null removes. {@link #strategic} approximates strategic merge patch for
 * what kubectl sends for built-in kinds: lists of objects that all carry a {@code name} are merged
 * by name, other lists are replaced, and {@code $patch}/{@code $setElementOrder}/{@code
 * $retainKeys}/{@code $deleteFromPrimitiveList} directives are honoured only as far as dropping
 * them (see README's differences).
 */
final class MergePatches {
  private MergePatches() {}

  /** The same RFC 7386 merge as server-side apply's. */
  static Object json(Object target, Object patch) {
    return TestingServerSideApply.merge(target, patch);
  }

  @SuppressWarnings("unchecked")
  static Object strategic(Object target, Object patch) {
    if (!(patch instanceof Map<?, ?> patchMap)) {
      if (patch instanceof List<?> list && target instanceof List<?> existing) {
        return mergeByName((List<Object>) existing, (List<Object>) list);
      }
      return patch;
    }
    if ("delete".equals(patchMap.get("$patch"))) {
      return null;
    }
    if ("replace".equals(patchMap.get("$patch"))) {
      Map<String, Object> replaced = new LinkedHashMap<>((Map<String, Object>) patchMap);
      replaced.remove("$patch");
      return replaced;
    }
    Map<String, Object> result =
        target instanceof Map<?, ?> t
            ? new LinkedHashMap<>((Map<String, Object>) t)
            : new LinkedHashMap<>();
    ((Map<String, Object>) patchMap)
        .forEach(
            (key, value) -> {
              if (key.startsWith("$")) {
                return;
              }
              Object merged = value == null ? null : strategic(result.get(key), value);
              if (merged == null) {
                result.remove(key);
              } else {
                result.put(key, merged);
              }
            });
    return result;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> mergeByName(List<Object> existing, List<Object> patch) {
    boolean named =
        !patch.isEmpty()
            && patch.stream().allMatch(e -> e instanceof Map<?, ?> m && m.get("name") != null)
            && existing.stream().allMatch(e -> e instanceof Map<?, ?> m && m.get("name") != null);
    if (!named) {
      return patch;
    }
    List<Object> result = new ArrayList<>(existing);
    for (Object p : patch) {
      Map<String, Object> element = (Map<String, Object>) p;
      int at = indexOfName(result, element.get("name"));
      Object merged = strategic(at < 0 ? null : result.get(at), element);
      if (at < 0 && merged != null) {
        result.add(merged);
      } else if (at >= 0 && merged == null) {
        result.remove(at);
      } else if (at >= 0) {
        result.set(at, merged);
      }
    }
    return result;
  }

  private static int indexOfName(List<Object> list, Object name) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof Map<?, ?> m && Objects.equals(m.get("name"), name)) {
        return i;
      }
    }
    return -1;
  }
}
