package dev.logpipe.worker.parse;

/**
 * Plain text: the whole line is the message. A leading timestamp ({@code 2025-03-28 10:00:00,123}
 * or ISO) and a level word ({@code ERROR}, {@code [warn]}, {@code INFO:}) are picked up when
 * present, so classic framework output gets a real time and level without a regex.
 */
final class TextLogParser extends AbstractLogParser {

  TextLogParser(FieldMapping mapping, EventNormalizer normalizer, ParseLimits limits) {
    super(mapping, normalizer, limits);
  }

  @Override
  ParseResult parseValid(byte[] value, long kafkaTimestampMs, FieldCollector fields) {
    String line = text(value);
    int[] cut = new int[6];
    int tokens = tokens(line, cut);
    int levelToken = 0;
    if (tokens >= 2 && looksLikeDate(line, cut[0])) {
      String two = line.substring(cut[0], cut[3]);
      if (tokens >= 3 && TimestampParser.parse(two) != TimestampParser.INVALID) {
        fields.offer(UnifiedField.TIMESTAMP.configName(), two);
        levelToken = 2;
      } else {
        String one = line.substring(cut[0], cut[1]);
        if (TimestampParser.parse(one) != TimestampParser.INVALID) {
          fields.offer(UnifiedField.TIMESTAMP.configName(), one);
          levelToken = 1;
        }
      }
    }
    if (levelToken < tokens) {
      String word = line.substring(cut[2 * levelToken], cut[2 * levelToken + 1]);
      String level = sniffLevel(word);
      if (level != null) {
        fields.offer(UnifiedField.LEVEL.configName(), level);
      }
    }
    fields.offer(UnifiedField.MESSAGE.configName(), line);
    return ParseResult.ok(normalizer.toEvent(fields, kafkaTimestampMs));
  }

  /**
   * A level only when the word is marked as one: upper case ({@code WARN}), bracketed ({@code
   * [warn]}) or followed by a colon ({@code warn:}). Prose such as "Fine tuning done" or "3
   * retries" must not become DEBUG or a syslog severity.
   */
  static String sniffLevel(String word) {
    boolean marked = word.endsWith(":") || word.startsWith("[") && word.endsWith("]");
    String w = word.endsWith(":") ? word.substring(0, word.length() - 1) : word;
    if (w.length() < 2 || Character.isDigit(w.charAt(w.length() - 1))) {
      return null;
    }
    if (!marked && !w.equals(w.toUpperCase(java.util.Locale.ROOT))) {
      return null;
    }
    return LevelNormalizer.normalize(w);
  }

  /** Start/end offsets of up to three leading whitespace-separated tokens. */
  private static int tokens(String s, int[] cut) {
    int n = s.length();
    int i = 0;
    int count = 0;
    while (count < 3) {
      while (i < n && s.charAt(i) <= ' ') {
        i++;
      }
      if (i == n) {
        break;
      }
      cut[2 * count] = i;
      while (i < n && s.charAt(i) > ' ') {
        i++;
      }
      cut[2 * count + 1] = i;
      count++;
    }
    return count;
  }

  private static boolean looksLikeDate(String s, int start) {
    return s.length() >= start + 10
        && Character.isDigit(s.charAt(start))
        && s.charAt(start + 4) == '-';
  }
}
