package dev.logpipe.worker.parse;

/**
 * Parses the timestamp forms seen in real logs into epoch milliseconds (UTC), without java.time on
 * the hot path (its formatters cost microseconds per call):
 *
 * <ul>
 *   <li>ISO-8601 / RFC 3339 {@code 2025-03-28T10:00:00.123456Z}, {@code +01:00}, {@code +0100}, no
 *       zone (= UTC), {@code ' '} instead of {@code 'T'}, {@code ','} before the fraction;
 *   <li>common log format {@code 28/Mar/2025:10:00:00 +0000};
 *   <li>epoch numbers or numeric strings, unit by magnitude (s, ms, us, ns), fractional seconds.
 * </ul>
 *
 * Results outside 1900-2299 (the DateTime64 range) are rejected.
 */
public final class TimestampParser {

  /** Returned when the input is not a timestamp. */
  public static final long INVALID = Long.MIN_VALUE;

  static final long MIN_MS = -2_208_988_800_000L; // 1900-01-01T00:00:00Z
  static final long MAX_MS = 10_413_792_000_000L; // 2300-01-01T00:00:00Z
  private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

  private TimestampParser() {}

  public static long parse(String raw) {
    if (raw == null) {
      return INVALID;
    }
    String s = raw.strip();
    int n = s.length();
    if (n == 0) {
      return INVALID;
    }
    long ms;
    if (n >= 10 && digit(s, 0) && s.charAt(4) == '-') {
      ms = DateTimeText.iso(s);
    } else if (n >= 20 && digit(s, 0) && s.charAt(2) == '/') {
      ms = DateTimeText.commonLog(s, MONTHS);
    } else {
      ms = EpochText.parse(s);
    }
    return ms >= MIN_MS && ms < MAX_MS ? ms : INVALID;
  }

  static boolean digit(String s, int i) {
    char c = s.charAt(i);
    return c >= '0' && c <= '9';
  }
}
