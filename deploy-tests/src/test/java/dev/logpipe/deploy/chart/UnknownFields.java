package dev.logpipe.deploy.chart;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Fields of a typed fabric8 object that its model does not know. fabric8 keeps them in
 * additionalProperties instead of failing, so a misspelled template key ("redinessProbe") would
 * parse, be dropped by the API server (or rejected), and no test would notice.
 */
final class UnknownFields {
  private UnknownFields() {}

  static List<String> in(Object object) {
    List<String> out = new ArrayList<>();
    walk("", object, out);
    return out;
  }

  private static void walk(String at, Object o, List<String> out) {
    if (o == null
        || o instanceof CharSequence
        || o instanceof Number
        || o instanceof Boolean
        || o instanceof Enum<?>) {
      return;
    }
    if (o instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(at + "." + k, v, out));
      return;
    }
    if (o instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(at + "[" + i++ + "]", item, out);
      }
      return;
    }
    String type = o.getClass().getName();
    if (!type.startsWith("io.fabric8.kubernetes.api.model.") && !type.startsWith("dev.logpipe.")) {
      return;
    }
    for (Method getter : o.getClass().getMethods()) {
      String name = getter.getName();
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || getter.getDeclaringClass() == Object.class
          || !(name.startsWith("get") && name.length() > 3)) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(o);
      } catch (ReflectiveOperationException | RuntimeException e) {
        continue; // a computed getter (Quantity's numerical amount) that does not apply here
      }
      if (name.equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          extra.keySet().forEach(k -> out.add((at.isEmpty() ? "" : at.substring(1) + ".") + k));
        }
      } else {
        String field = Character.toLowerCase(name.charAt(3)) + name.substring(4);
        walk(at + "." + field, value, out);
      }
    }
  }
}
