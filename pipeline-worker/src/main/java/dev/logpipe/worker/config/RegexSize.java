package dev.logpipe.worker.config;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An upper estimate of how many instructions RE2/J compiles a pattern into, read from the text
 * before RE2/J sees it. RE2/J (1.8) has no size limit of its own: counted repetitions multiply
 * ({@code ((a{1,1000}){1,1000}){1,1000}}, 30 characters, is 10^9 instructions), so compiling it
 * runs the JVM out of memory, and a merely large program ({@code (a{1,1000}){1,1000}$}) costs ~27
 * ms per character of input. Go's regexp and RE2 refuse such programs too ("expression too large");
 * this is that check, counted in the same way: one per literal, class or operator, a repetition
 * {@code {n,m}} multiplying what it repeats by its larger bound.
 *
 * <p>The count is of the text only; it need not understand every construct exactly, because RE2/J
 * still parses the pattern afterwards and reports syntax errors itself.
 */
final class RegexSize {
  /**
   * Largest accepted estimate. {@code .{0,1000}} is 1,001; {@code (a{1,100}){1,100}} (about 10,200)
   * is refused. A program of this size costs RE2/J about 0.5 ms per input character on the build
   * machine, which the per-record budget (checked every 64 characters) can still stop in time.
   */
  static final long MAX = 10_000;

  private RegexSize() {}

  /** The estimate, capped a little above {@link #MAX} so that it cannot overflow. */
  static long estimate(String regex) {
    Deque<long[]> frames = new ArrayDeque<>(); // per open group: {sum, size of last atom}
    long[] top = {0, 0};
    int i = 0;
    int n = regex.length();
    while (i < n) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i = skipEscape(regex, i);
        top = atom(top, 1);
      } else if (c == '[') {
        i = skipClass(regex, i);
        top = atom(top, 1);
      } else if (c == '(') {
        frames.push(top);
        top = new long[] {0, 0};
        i = groupBodyStart(regex, i);
        if (i < 0) { // a flags-only group such as (?i) repeats nothing
          top = frames.pop();
          i = -i;
        }
      } else if (c == ')') {
        long group = top[0] + 1;
        top = frames.isEmpty() ? new long[] {0, 0} : frames.pop();
        top = atom(top, group);
        i++;
      } else if (c == '{' && repeatEnd(regex, i) > 0) {
        int end = repeatEnd(regex, i);
        long times = largerBound(regex.substring(i + 1, end));
        long repeated = cap(top[1] * Math.max(1, times) + 1);
        top[0] = cap(top[0] - top[1] + repeated);
        top[1] = repeated;
        i = end + 1;
      } else if (c == '*' || c == '+' || c == '?' || c == '|') {
        top[0] = cap(top[0] + 1);
        top[1] = cap(top[1] + 1);
        i++;
      } else {
        top = atom(top, 1);
        i++;
      }
    }
    long total = top[0];
    while (!frames.isEmpty()) { // unbalanced: RE2/J refuses it anyway
      total = cap(total + frames.pop()[0]);
    }
    return total;
  }

  private static long[] atom(long[] frame, long size) {
    return new long[] {cap(frame[0] + size), size};
  }

  private static long cap(long value) {
    return Math.min(value, MAX * 1000);
  }

  /**
   * Where the body of the group opened at {@code i} starts, past {@code ?<name>}, {@code ?P<name>}
   * or {@code ?flags:}; for a flags-only group {@code (?i)} minus the index after it.
   */
  private static int groupBodyStart(String regex, int i) {
    if (regex.startsWith("(?<", i) || regex.startsWith("(?P<", i)) {
      int close = regex.indexOf('>', i);
      return close < 0 ? regex.length() : close + 1;
    }
    if (regex.startsWith("(?", i)) {
      for (int j = i + 2; j < regex.length(); j++) {
        char c = regex.charAt(j);
        if (c == ':') {
          return j + 1;
        }
        if (c == ')') {
          return -(j + 1);
        }
      }
      return regex.length();
    }
    return i + 1;
  }

  private static int skipEscape(String regex, int i) {
    if (i + 1 >= regex.length()) {
      return i + 1;
    }
    char next = regex.charAt(i + 1);
    if ((next == 'p' || next == 'P' || next == 'x')
        && i + 2 < regex.length()
        && regex.charAt(i + 2) == '{') {
      int close = regex.indexOf('}', i + 2);
      return close < 0 ? regex.length() : close + 1;
    }
    if (next == 'Q') {
      int close = regex.indexOf("\\E", i + 2);
      return close < 0 ? regex.length() : close + 2;
    }
    return i + 2;
  }

  private static int skipClass(String regex, int i) {
    int j = i + 1;
    if (j < regex.length() && regex.charAt(j) == '^') {
      j++;
    }
    if (j < regex.length() && regex.charAt(j) == ']') {
      j++; // a leading ']' is a literal
    }
    while (j < regex.length()) {
      char c = regex.charAt(j);
      if (c == '\\') {
        j += 2;
      } else if (c == '[' && j + 1 < regex.length() && regex.charAt(j + 1) == ':') {
        int close = regex.indexOf(":]", j + 2);
        j = close < 0 ? j + 1 : close + 2;
      } else if (c == ']') {
        return j + 1;
      } else {
        j++;
      }
    }
    return regex.length();
  }

  /** Index of the '}' closing a repetition {n}, {n,} or {n,m} at {@code i}, or -1 (a literal). */
  private static int repeatEnd(String regex, int i) {
    int close = regex.indexOf('}', i);
    if (close < 0 || !regex.substring(i + 1, close).matches("\\d{1,9}(,\\d{0,9})?")) {
      return -1;
    }
    return close;
  }

  private static long largerBound(String bounds) {
    int comma = bounds.indexOf(',');
    if (comma < 0) {
      return Long.parseLong(bounds);
    }
    long min = Long.parseLong(bounds.substring(0, comma));
    String max = bounds.substring(comma + 1);
    return max.isEmpty() ? min + 1 : Math.max(min, Long.parseLong(max));
  }
}
