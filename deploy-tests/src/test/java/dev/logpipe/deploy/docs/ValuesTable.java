package dev.logpipe.deploy.docs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logpipe.deploy.Yaml;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The install guide's values table, generated from values.yaml: one row per commented key, listing
 * every leaf under it (with its default) that no commented key further down explains. A leaf with
 * no comment on itself or any parent is an error, so a new value cannot ship undocumented. Comments
 * are the lines right above a key (a blank line ends them; helm-docs' "-- " prefix is dropped);
 * indented comment lines are examples and stay in values.yaml.
 */
final class ValuesTable {
  private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_.-]+):( .*)?$");
  private static final Pattern COMMENT = Pattern.compile("^ *# ?(.*)$");

  /** One row: the leaves a comment explains, their defaults, the comment. */
  record Row(List<String> keys, List<String> defaults, String meaning) {}

  private ValuesTable() {}

  static String markdown(String valuesYaml) {
    StringBuilder out = new StringBuilder("| value | default | meaning |\n|---|---|---|\n");
    for (Row row : rows(valuesYaml)) {
      out.append("| ")
          .append(String.join("<br>", row.keys().stream().map(k -> "`" + k + "`").toList()))
          .append(" | ")
          .append(String.join("<br>", row.defaults()))
          .append(" | ")
          // Markdown would take <release> for an HTML tag.
          .append(row.meaning().replace("|", "\\|").replace("<", "&lt;"))
          .append(" |\n");
    }
    return out.toString();
  }

  static List<Row> rows(String valuesYaml) {
    Map<String, String> comments = comments(valuesYaml);
    JsonNode values = Yaml.one(valuesYaml);
    Map<String, List<String>> explained = new LinkedHashMap<>();
    comments.keySet().forEach(k -> explained.put(k, new ArrayList<>()));
    List<String> undocumented = new ArrayList<>();
    for (String leaf : leaves("", values)) {
      String owner = null;
      for (String k = leaf; k != null; k = parent(k)) {
        if (comments.containsKey(k)) {
          owner = k;
          break;
        }
      }
      if (owner == null) {
        undocumented.add(leaf);
      } else {
        explained.get(owner).add(leaf);
      }
    }
    if (!undocumented.isEmpty()) {
      throw new IllegalStateException(
          "values.yaml keys without a comment on them or a parent: " + undocumented);
    }
    List<Row> rows = new ArrayList<>();
    explained.forEach(
        (key, leaves) -> {
          if (!leaves.isEmpty()) {
            rows.add(
                new Row(
                    leaves,
                    leaves.stream().map(l -> value(values.at(pointer(l)))).toList(),
                    comments.get(key)));
          }
        });
    return rows;
  }

  /** Key path → its comment, in file order. */
  static Map<String, String> comments(String valuesYaml) {
    Map<String, String> out = new LinkedHashMap<>();
    Deque<Map.Entry<Integer, String>> parents = new ArrayDeque<>();
    List<String> pending = new ArrayList<>();
    boolean example = false;
    for (String line : valuesYaml.split("\n", -1)) {
      Matcher comment = COMMENT.matcher(line);
      Matcher key = KEY.matcher(line);
      if (comment.matches()) {
        String text = comment.group(1);
        if (text.startsWith(" ") || example) {
          example = true; // an indented example: not part of the description
        } else {
          pending.add(text.startsWith("-- ") ? text.substring(3) : text);
        }
      } else if (key.matches()) {
        int indent = key.group(1).length();
        while (!parents.isEmpty() && parents.peek().getKey() >= indent) {
          parents.pop();
        }
        String path =
            parents.isEmpty() ? key.group(2) : parents.peek().getValue() + "." + key.group(2);
        if (!pending.isEmpty()) {
          out.put(path, String.join(" ", pending).replaceAll(" ?Example:$", "").strip());
        }
        parents.push(Map.entry(indent, path));
        pending.clear();
        example = false;
      } else {
        pending.clear(); // a blank line or a list item ends a comment block
        example = false;
      }
    }
    return out;
  }

  /** Scalars, lists and empty maps, as dotted paths in file order. */
  static List<String> leaves(String at, JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isObject() && !node.isEmpty()) {
      node.fields()
          .forEachRemaining(
              e ->
                  out.addAll(
                      leaves(at.isEmpty() ? e.getKey() : at + "." + e.getKey(), e.getValue())));
    } else {
      out.add(at);
    }
    return out;
  }

  private static String parent(String key) {
    int dot = key.lastIndexOf('.');
    return dot < 0 ? null : key.substring(0, dot);
  }

  private static String pointer(String key) {
    return "/" + key.replace("~", "~0").replace("/", "~1").replace('.', '/');
  }

  private static String value(JsonNode v) {
    String text = v.isTextual() ? (v.asText().isEmpty() ? "\"\"" : v.asText()) : v.toString();
    return "`" + text.replace("|", "\\|") + "`";
  }
}
