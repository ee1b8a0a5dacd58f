package dev.logpipe.sandbox.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSONPath subset printer columns use: {@code .a.b}, {@code .a[0].b}, {@code .a[*].b} and
 * {@code .a[?(@.type=="Ready")].status}. Anything else yields no value rather than an error, as a
 * column is only decoration.
 */
final class JsonPathColumn {
  private static final Pattern STEP =
      Pattern.compile(
          "\\.([^.\\[]+)|\\[(\\d+|\\*)]|\\[\\?\\(@\\.([\\w.-]+)\\s*==\\s*[\"']([^\"']*)[\"']\\)]");

  private JsonPathColumn() {}

  static List<Object> values(Map<String, Object> object, String path) {
    List<Object> current = new ArrayList<>(List.of(object));
    Matcher m = STEP.matcher(path.trim());
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return List.of();
      }
      end = m.end();
      List<Object> next = new ArrayList<>();
      for (Object node : current) {
        step(node, m, next);
      }
      current = next;
    }
    return end == path.trim().length() ? current : List.of();
  }

  private static void step(Object node, Matcher m, List<Object> next) {
    if (m.group(1) != null) {
      if (node instanceof Map<?, ?> map && map.get(m.group(1)) != null) {
        next.add(map.get(m.group(1)));
      }
    } else if (m.group(2) != null) {
      if (node instanceof List<?> list) {
        if (m.group(2).equals("*")) {
          next.addAll(list);
        } else {
          int i = Integer.parseInt(m.group(2));
          if (i < list.size()) {
            next.add(list.get(i));
          }
        }
      }
    } else if (node instanceof List<?> list) {
      for (Object element : list) {
        if (element instanceof Map<?, ?> map
            && m.group(4).equals(String.valueOf(map.get(m.group(3))))) {
          next.add(element);
        }
      }
    }
  }

  /** One cell: the single value, several joined with commas, or null. */
  static Object cell(Map<String, Object> object, String path) {
    List<Object> values = values(object, path);
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() == 1) {
      return values.get(0);
    }
    return String.join(",", values.stream().map(String::valueOf).toList());
  }
}
