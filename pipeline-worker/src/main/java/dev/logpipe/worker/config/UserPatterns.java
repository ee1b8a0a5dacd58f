package dev.logpipe.worker.config;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Regular expressions written by users (format.pattern, a rule's matches) are compiled with RE2/J,
 * whose matching time is linear in the input: no pattern can backtrack catastrophically, as {@code
 * (a+){1,40}} did on java.util.regex (27.7 s of CPU for a 28-character line, issue 13). What RE2
 * cannot run (backreferences, lookaround, atomic groups, possessive quantifiers) is refused with
 * the construct named, by the operator (InvalidSpec) and by the worker at config load, and so is a
 * pattern whose counted repetitions expand beyond {@link RegexSize#MAX} instructions.
 */
public final class UserPatterns {
  private UserPatterns() {}

  /** The compiled pattern; throws IllegalArgumentException with {@link #problem}'s message. */
  public static Pattern compile(String regex) {
    String tooLarge = tooLarge(regex);
    if (tooLarge != null) {
      throw new IllegalArgumentException(tooLarge);
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(explain(regex, e), e);
    }
  }

  /** Why {@code regex} cannot be used, or null when it compiles. */
  public static String problem(String regex) {
    String tooLarge = tooLarge(regex);
    if (tooLarge != null) {
      return tooLarge;
    }
    try {
      Pattern.compile(regex);
      return null;
    } catch (PatternSyntaxException e) {
      return explain(regex, e);
    }
  }

  /** Named groups in the order they appear; {@code (?<name>...)} and {@code (?P<name>...)}. */
  public static List<String> groupNames(Pattern pattern) {
    List<Map.Entry<String, Integer>> groups = new ArrayList<>(pattern.namedGroups().entrySet());
    groups.sort(Comparator.comparing(Map.Entry::getValue));
    return groups.stream().map(Map.Entry::getKey).toList();
  }

  /** Checked before RE2/J compiles: a counted repetition can make it run out of memory. */
  private static String tooLarge(String regex) {
    long size = RegexSize.estimate(regex);
    if (size <= RegexSize.MAX) {
      return null;
    }
    return "too large: its repetitions expand to about "
        + (size >= RegexSize.MAX * 1000 ? "more than " + RegexSize.MAX * 1000 : size)
        + " instructions, more than the "
        + RegexSize.MAX
        + " allowed; use smaller counts in {n,m} or * and + instead of nested counted"
        + " repetitions";
  }

  private static String explain(String regex, PatternSyntaxException e) {
    String construct = unsupportedConstruct(regex);
    if (construct != null) {
      return "uses "
          + construct
          + ", which the linear-time regex engine (RE2) does not support; rewrite the pattern"
          + " without it";
    }
    return "not a valid RE2 regular expression: " + e.getDescription() + " near " + near(e);
  }

  /** A Java/PCRE feature RE2 leaves out on purpose (it needs backtracking), or null. */
  static String unsupportedConstruct(String regex) {
    if (regex.contains("(?<=")) {
      return "a lookbehind (?<=...)";
    }
    if (regex.contains("(?<!")) {
      return "a negative lookbehind (?<!...)";
    }
    if (regex.contains("(?=")) {
      return "a lookahead (?=...)";
    }
    if (regex.contains("(?!")) {
      return "a negative lookahead (?!...)";
    }
    if (regex.contains("(?>")) {
      return "an atomic group (?>...)";
    }
    if (regex.matches("(?s).*(?<!\\\\)(\\\\\\\\)*\\\\([1-9]|k<).*")) {
      return "a backreference (\\1 or \\k<name>)";
    }
    if (regex.matches("(?s).*[*+?}]\\+.*")) {
      return "a possessive quantifier (such as a++)";
    }
    return null;
  }

  private static String near(PatternSyntaxException e) {
    String pattern = e.getPattern();
    return pattern == null || pattern.isEmpty() ? "the end" : "'" + pattern + "'";
  }
}
