package dev.logpipe.worker.parse;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Maps level spellings to TRACE/DEBUG/INFO/WARN/ERROR/FATAL: aliases in any case, syslog severities
 * 0-7 and pino/bunyan numbers 10-60. Common spellings hit a precomputed table, so the usual case
 * allocates nothing.
 */
public final class LevelNormalizer {

  private static final Map<String, String> EXACT = new HashMap<>();

  static {
    alias("TRACE", "trace", "trc", "verbose", "vrb", "finest", "finer", "t");
    alias("DEBUG", "debug", "dbg", "fine", "d");
    alias("INFO", "info", "information", "informational", "notice", "inf", "i");
    alias("WARN", "warn", "warning", "wrn", "w");
    alias("ERROR", "error", "err", "severe", "eror", "e");
    alias(
        "FATAL",
        "fatal",
        "critical",
        "crit",
        "panic",
        "dpanic",
        "emerg",
        "emergency",
        "alert",
        "ftl",
        "f");
    // Syslog severities (RFC 5424): 0 emerg, 1 alert, 2 crit, 3 err, 4 warning, 5 notice, 6 info.
    String[] syslog = {"FATAL", "FATAL", "FATAL", "ERROR", "WARN", "INFO", "INFO", "DEBUG"};
    for (int i = 0; i < syslog.length; i++) {
      EXACT.put(Integer.toString(i), syslog[i]);
    }
    // pino and bunyan.
    String[] pino = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
    for (int i = 0; i < pino.length; i++) {
      EXACT.put(Integer.toString((i + 1) * 10), pino[i]);
    }
  }

  private LevelNormalizer() {}

  /** The canonical level, or null when {@code raw} is not a level we know. */
  public static String normalize(String raw) {
    if (raw == null) {
      return null;
    }
    String hit = EXACT.get(raw);
    if (hit != null) {
      return hit;
    }
    String s = raw.strip();
    if (s.length() > 2 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']') {
      s = s.substring(1, s.length() - 1).strip();
    }
    if (s.isEmpty() || s.length() > 16) {
      return null;
    }
    if (s.endsWith(".0")) {
      s = s.substring(0, s.length() - 2); // pino levels arrive as 30.0 from some re-encoders
    }
    return EXACT.get(s.toLowerCase(Locale.ROOT));
  }

  private static void alias(String level, String... names) {
    for (String name : names) {
      EXACT.put(name, level);
      EXACT.put(name.toUpperCase(Locale.ROOT), level);
      EXACT.put(Character.toUpperCase(name.charAt(0)) + name.substring(1), level);
    }
  }
}
