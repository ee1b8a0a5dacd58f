package dev.logpipe.worker.parse;

/**
 * Number parsing for untrusted text that never throws: invalid input yields a sentinel, because
 * exceptions on the hot path cost microseconds and non-numeric values are common.
 */
public final class Numbers {

  private Numbers() {}

  /** A plain decimal ({@code -12.5}, {@code 3e3}), or NaN when {@code s} is anything else. */
  public static double parseDouble(String s) {
    if (s == null || !looksNumeric(s)) {
      return Double.NaN;
    }
    double fast = parseSimpleDecimal(s);
    if (!Double.isNaN(fast)) {
      return fast;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** A non-negative decimal integer of at most 9 digits, or -1. */
  public static int parseSmallInt(String s) {
    int n = s == null ? 0 : s.length();
    if (n == 0 || n > 9) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** An HTTP status 100-599 from {@code 503} or {@code "503"}, else -1. */
  public static int parseStatus(String s) {
    int v = parseSmallInt(s == null ? null : s.strip());
    return v >= 100 && v <= 599 ? v : -1;
  }

  /**
   * A duration in milliseconds from a number (already ms) or a number with a unit suffix ({@code
   * ns}, {@code us}, {@code µs}, {@code ms}, {@code s}, {@code m}); NaN when not a non-negative
   * duration.
   */
  public static double parseLatencyMs(String raw) {
    if (raw == null) {
      return Double.NaN;
    }
    String s = raw.strip();
    int end = s.length();
    while (end > 0 && Character.isLetter(s.charAt(end - 1))) {
      end--;
    }
    double scale;
    switch (s.substring(end)) {
      case "", "ms" -> scale = 1;
      case "s" -> scale = 1000;
      case "us", "µs", "μs" -> scale = 1e-3;
      case "ns" -> scale = 1e-6;
      case "m", "min" -> scale = 60_000;
      default -> {
        return Double.NaN;
      }
    }
    double v = parseDouble(end == s.length() ? s : s.substring(0, end).strip());
    return v >= 0 && !Double.isInfinite(v) ? v * scale : Double.NaN;
  }

  private static final double[] POWERS_OF_TEN = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
  };

  /**
   * {@code [-]digits[.digits]} with at most 15 digits: mantissa and power of ten are both exact
   * doubles, so one division is correctly rounded (the same fast path as the JDK's, without its
   * allocations). NaN for anything else, which then takes the general route.
   */
  private static double parseSimpleDecimal(String s) {
    int n = s.length();
    int i = s.charAt(0) == '-' ? 1 : 0;
    long mantissa = 0;
    int digits = 0;
    int fraction = -1;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        mantissa = mantissa * 10 + (c - '0');
        if (++digits > 15) {
          return Double.NaN;
        }
        if (fraction >= 0) {
          fraction++;
        }
      } else if (c == '.' && fraction < 0) {
        fraction = 0;
      } else {
        return Double.NaN;
      }
    }
    if (digits == 0) {
      return Double.NaN;
    }
    double v = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction] : mantissa;
    return s.charAt(0) == '-' ? -v : v;
  }

  private static boolean looksNumeric(String s) {
    int n = s.length();
    if (n == 0 || n > 64) {
      return false;
    }
    int digits = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
        return false;
      }
    }
    return digits > 0;
  }
}
