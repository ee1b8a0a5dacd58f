package dev.logpipe.operator.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the spec's duration strings ("500ms", "1s", "2m") into milliseconds. */
final class Durations {
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,6})(ms|s|m)");

  private Durations() {}

  static long toMillis(String field, String value) {
    Matcher m = DURATION.matcher(value == null ? "" : value);
    if (!m.matches()) {
      throw new InvalidPipelineException(
          field + " '" + value + "' is not a duration: write a number and ms, s or m, e.g. 1s");
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> amount;
      case "s" -> amount * 1_000;
      default -> amount * 60_000;
    };
  }
}
