package dev.logpipe.worker.parse;

import dev.logpipe.worker.model.Rejection.Reason;

/**
 * logfmt ({@code level=info msg="user \"x\" logged in" dur=12ms}): bare or double-quoted values
 * with backslash escapes; a bare key means {@code true}; an unterminated quote runs to the end.
 */
final class LogfmtLogParser extends AbstractLogParser {

  LogfmtLogParser(FieldMapping mapping, EventNormalizer normalizer, ParseLimits limits) {
    super(mapping, normalizer, limits);
  }

  @Override
  ParseResult parseValid(byte[] value, long kafkaTimestampMs, FieldCollector fields) {
    String s = text(value);
    int n = s.length();
    int pairs = 0;
    int i = 0;
    StringBuilder unescaped = null;
    while (i < n) {
      while (i < n && s.charAt(i) <= ' ') {
        i++;
      }
      int keyStart = i;
      while (i < n && s.charAt(i) > ' ' && s.charAt(i) != '=') {
        i++;
      }
      String key = s.substring(keyStart, i);
      String val;
      if (i < n && s.charAt(i) == '=') {
        i++;
        pairs++;
        if (i < n && s.charAt(i) == '"') {
          int close = s.indexOf('"', i + 1);
          int escape = s.indexOf('\\', i + 1);
          if (close > 0 && (escape < 0 || escape > close)) {
            val = s.substring(i + 1, close); // no escapes: the common case, one substring
            i = close + 1;
          } else {
            unescaped = unescaped == null ? new StringBuilder() : unescaped;
            i = unquote(s, i + 1, unescaped);
            val = unescaped.toString();
          }
        } else {
          int start = i;
          while (i < n && s.charAt(i) > ' ') {
            i++;
          }
          val = s.substring(start, i);
        }
      } else {
        val = "true";
      }
      if (!key.isEmpty()) {
        fields.offer(key, val);
      }
    }
    if (pairs == 0) {
      return ParseResult.rejected(Reason.INVALID_LOGFMT, "no key=value pairs found");
    }
    return ParseResult.ok(normalizer.toEvent(fields, kafkaTimestampMs));
  }

  /** Reads a quoted value starting after the opening quote; returns the index after the close. */
  private static int unquote(String s, int i, StringBuilder out) {
    out.setLength(0);
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i++);
      if (c == '"') {
        return i;
      }
      if (c == '\\' && i < n) {
        char e = s.charAt(i++);
        out.append(
            switch (e) {
              case 'n' -> '\n';
              case 't' -> '\t';
              case 'r' -> '\r';
              default -> e; // \" \\ and anything else: the character itself
            });
      } else {
        out.append(c);
      }
    }
    return n;
  }
}
