package dev.logpipe.deploy.dashboards;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Metric names and label matchers/groupings in a PromQL expression, checked against a scrape. */
final class PromQl {
  private static final Set<String> FUNCTIONS =
      Set.of(
          "sum",
          "max",
          "min",
          "avg",
          "count",
          "rate",
          "irate",
          "increase",
          "by",
          "without",
          "histogram_quantile",
          "topk",
          "on",
          "ignoring");
  private static final Pattern SELECTOR =
      Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{([^}]*)})?");
  private static final Pattern MATCHER =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)\\s*\"([^\"]*)\"");
  private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");

  static List<String> problems(String expr, Map<String, Map<String, Set<String>>> series) {
    List<String> problems = new ArrayList<>();
    String code = expr.replaceAll("\\[[^]]*]", ""); // range selectors
    Set<String> metricsUsed = new LinkedHashSet<>();
    Matcher s = SELECTOR.matcher(code.replaceAll("\\b(?:by|without)\\s*\\([^)]*\\)", ""));
    while (s.find()) {
      String name = s.group(1);
      if (FUNCTIONS.contains(name)) {
        continue;
      }
      if (!series.containsKey(name)) {
        problems.add("no metric " + name + " in: " + expr);
        continue;
      }
      metricsUsed.add(name);
      if (s.group(3) != null) {
        Matcher m = MATCHER.matcher(s.group(3));
        while (m.find()) {
          Set<String> values = series.get(name).get(m.group(1));
          if (values == null) {
            problems.add(name + " has no label " + m.group(1));
          } else if (m.group(2).equals("=") && !values.contains(m.group(3))) {
            problems.add(
                name + "{" + m.group(1) + "=\"" + m.group(3) + "\"} never exposed; seen " + values);
          }
        }
      }
    }
    Matcher g = GROUPING.matcher(code);
    while (g.find()) {
      for (String label : g.group(1).split(",")) {
        String l = label.strip();
        if (!l.isEmpty() && metricsUsed.stream().noneMatch(n -> series.get(n).containsKey(l))) {
          problems.add("no metric in " + metricsUsed + " has label " + l);
        }
      }
    }
    return problems;
  }
}
