package dev.logpipe.worker.parse;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.logpipe.worker.config.UserPatterns;
import dev.logpipe.worker.model.Rejection.Reason;

/**
 * A user regex with named groups; each group name is treated like a JSON key (so {@code
 * (?<level>\w+)} fills level and {@code (?<user>\w+)} becomes an attribute). The first match
 * anywhere in the line counts ({@link Matcher#find()}); anchor the pattern to demand a full match.
 * The pattern runs on RE2/J (linear time, see {@link UserPatterns}) within a per-record time budget
 * ({@link RegexBudget}); both {@code (?<name>...)} and {@code (?P<name>...)} name a group.
 */
final class RegexLogParser extends AbstractLogParser {

  private final Pattern pattern;
  private final String[] groups;
  private final long budgetNanos;

  RegexLogParser(
      String regex, FieldMapping mapping, EventNormalizer normalizer, ParseLimits limits) {
    this(regex, mapping, normalizer, limits, RegexBudget.DEFAULT_NANOS);
  }

  RegexLogParser(
      String regex,
      FieldMapping mapping,
      EventNormalizer normalizer,
      ParseLimits limits,
      long budgetNanos) {
    super(mapping, normalizer, limits);
    this.budgetNanos = budgetNanos;
    if (regex == null || regex.isEmpty()) {
      throw new IllegalArgumentException("format.pattern: required for the regex format");
    }
    try {
      this.pattern = UserPatterns.compile(regex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("format.pattern: " + e.getMessage(), e);
    }
    this.groups = UserPatterns.groupNames(pattern).toArray(new String[0]);
    if (groups.length == 0) {
      throw new IllegalArgumentException("format.pattern: needs at least one named group");
    }
  }

  @Override
  ParseResult parseValid(byte[] value, long kafkaTimestampMs, FieldCollector fields) {
    String s = text(value);
    Matcher m = RegexBudget.matcher(pattern, s, budgetNanos);
    try {
      if (!m.find()) {
        return ParseResult.rejected(
            Reason.REGEX_NO_MATCH, "the line does not match format.pattern");
      }
    } catch (RegexBudget.Exceeded e) {
      return ParseResult.rejected(
          Reason.REGEX_TIMEOUT,
          "format.pattern needed more than "
              + budgetNanos / 1_000_000
              + " ms on this "
              + s.length()
              + "-character line; simplify the pattern or shorten the lines");
    }
    for (String group : groups) {
      String v = m.group(group);
      if (v != null) {
        fields.offer(group, v);
      }
    }
    return ParseResult.ok(normalizer.toEvent(fields, kafkaTimestampMs));
  }

  /** The pattern's named groups in order of appearance. */
  static String[] groupNames(String regex) {
    return UserPatterns.groupNames(UserPatterns.compile(regex)).toArray(new String[0]);
  }
}
