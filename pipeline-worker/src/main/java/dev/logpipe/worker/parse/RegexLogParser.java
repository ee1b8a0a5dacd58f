package dev.logpipe.worker.parse;

import dev.logpipe.worker.model.Rejection.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A user regex with named groups; each group name is treated like a JSON key (so {@code
 * (?<level>\w+)} fills level and {@code (?<user>\w+)} becomes an attribute). The first match
 * anywhere in the line counts ({@link Matcher#find()}); anchor the pattern to demand a full match.
 */
final class RegexLogParser extends AbstractLogParser {

  private static final Pattern GROUP_NAME = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

  private final Pattern pattern;
  private final String[] groups;

  RegexLogParser(
      String regex, FieldMapping mapping, EventNormalizer normalizer, ParseLimits limits) {
    super(mapping, normalizer, limits);
    if (regex == null || regex.isEmpty()) {
      throw new IllegalArgumentException("format.pattern: required for the regex format");
    }
    this.pattern = Pattern.compile(regex);
    this.groups = groupNames(regex);
    if (groups.length == 0) {
      throw new IllegalArgumentException("format.pattern: needs at least one named group");
    }
  }

  @Override
  ParseResult parseValid(byte[] value, long kafkaTimestampMs, FieldCollector fields) {
    String s = text(value);
    Matcher m = pattern.matcher(s);
    if (!m.find()) {
      return ParseResult.rejected(Reason.REGEX_NO_MATCH, "the line does not match format.pattern");
    }
    for (String group : groups) {
      String v = m.group(group);
      if (v != null) {
        fields.offer(group, v);
      }
    }
    return ParseResult.ok(normalizer.toEvent(fields, kafkaTimestampMs));
  }

  /** Java 17 has no Pattern.namedGroups(): find candidates in the text, keep the real ones. */
  static String[] groupNames(String regex) {
    List<String> names = new ArrayList<>();
    Matcher m = GROUP_NAME.matcher(regex);
    while (m.find()) {
      String name = m.group(1);
      try {
        // A back-reference compiles only when the group exists (not escaped, not in a comment).
        Pattern.compile("(?:" + regex + ")\\k<" + name + ">");
        if (!names.contains(name)) {
          names.add(name);
        }
      } catch (PatternSyntaxException e) {
        // not a group after all
      }
    }
    return names.toArray(new String[0]);
  }
}
