package dev.logpipe.worker.it;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads counters from a Prometheus text scrape ({@code /metrics}). */
record Scrape(String text) {
  private static final Pattern SERIES =
      Pattern.compile("(?m)^([a-z_]+)\\{([^}]*)\\} ([0-9.Ee+-]+)$");

  /** The sum of every series named {@code name}, whatever its labels; 0 when there is none. */
  double sum(String name) {
    return byLabel(name, null).values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** The series named {@code name} by the value of {@code label} (all under "" when null). */
  Map<String, Double> byLabel(String name, String label) {
    Map<String, Double> values = new TreeMap<>();
    Matcher m = SERIES.matcher(text);
    while (m.find()) {
      if (!m.group(1).equals(name)) {
        continue;
      }
      String key = "";
      if (label != null) {
        Matcher l = Pattern.compile(label + "=\"([^\"]*)\"").matcher(m.group(2));
        key = l.find() ? l.group(1) : "";
      }
      values.merge(key, Double.parseDouble(m.group(3)), Double::sum);
    }
    return values;
  }
}
