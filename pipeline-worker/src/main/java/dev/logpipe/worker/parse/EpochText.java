package dev.logpipe.worker.parse;

/**
 * Epoch timestamps as numbers or numeric strings. The unit is chosen by magnitude: below 1e11 is
 * seconds (until year 5138), below 1e14 millis, below 1e17 micros, else nanos; so millisecond
 * values before March 1973 read as seconds, a trade-off every log shipper makes.
 */
final class EpochText {

  private EpochText() {}

  static long parse(String s) {
    int n = s.length();
    int i = 0;
    boolean negative = s.charAt(0) == '-';
    if (negative || s.charAt(0) == '+') {
      i++;
    }
    long whole = 0;
    int digits = 0;
    while (i < n && TimestampParser.digit(s, i)) {
      int d = s.charAt(i++) - '0';
      // Beyond Long.MAX_VALUE (e.g. 9223372036854775808) would wrap around to a small number.
      if (whole > (Long.MAX_VALUE - d) / 10) {
        return TimestampParser.INVALID;
      }
      whole = whole * 10 + d;
      digits++;
    }
    int fractionMs = 0;
    if (i < n && s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && TimestampParser.digit(s, i)) {
        if (i - start < 3) {
          fractionMs = fractionMs * 10 + (s.charAt(i) - '0');
        }
        i++;
      }
      for (int k = i - start; k < 3; k++) {
        fractionMs *= 10;
      }
      if (digits == 0 && i == start) {
        return TimestampParser.INVALID;
      }
    } else if (digits == 0) {
      return TimestampParser.INVALID;
    }
    if (i < n) {
      return (s.charAt(i) == 'e' || s.charAt(i) == 'E') ? scientific(s) : TimestampParser.INVALID;
    }
    long ms;
    if (whole < 100_000_000_000L) {
      ms = whole * 1000 + fractionMs;
    } else if (whole < 100_000_000_000_000L) {
      ms = whole;
    } else if (whole < 100_000_000_000_000_000L) {
      ms = whole / 1000;
    } else {
      ms = whole / 1_000_000;
    }
    return negative ? -ms : ms;
  }

  /** 1.7e9-style numbers, as some JSON encoders write large doubles. */
  private static long scientific(String s) {
    double d = Numbers.parseDouble(s);
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return TimestampParser.INVALID;
    }
    double abs = Math.abs(d);
    double ms;
    if (abs < 1e11) {
      ms = d * 1000;
    } else if (abs < 1e14) {
      ms = d;
    } else if (abs < 1e17) {
      ms = d / 1e3;
    } else {
      ms = d / 1e6;
    }
    return Math.round(ms);
  }
}
