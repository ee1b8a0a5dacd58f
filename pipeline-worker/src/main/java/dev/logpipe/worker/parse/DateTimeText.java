package dev.logpipe.worker.parse;

/** Fixed-layout calendar date-time parsing for {@link TimestampParser}. */
final class DateTimeText {

  private static final long INVALID = TimestampParser.INVALID;

  private DateTimeText() {}

  /** {@code yyyy-MM-dd[(T|t| )HH:mm[:ss[(.|,)fraction]]][ ][Z|±hh[:]mm|±hh]}. */
  static long iso(String s) {
    int n = s.length();
    int year = num(s, 0, 4);
    int month = s.charAt(7) == '-' ? num(s, 5, 2) : -1;
    int day = num(s, 8, 2);
    if (year < 0 || month < 0 || day < 0) {
      return INVALID;
    }
    if (n == 10) {
      return millis(year, month, day, 0, 0, 0, 0, 0);
    }
    char sep = s.charAt(10);
    if ((sep != 'T' && sep != 't' && sep != ' ') || n < 16 || s.charAt(13) != ':') {
      return INVALID;
    }
    int hour = num(s, 11, 2);
    int minute = num(s, 14, 2);
    int second = 0;
    int millis = 0;
    int i = 16;
    if (i < n && s.charAt(i) == ':') {
      second = i + 3 <= n ? num(s, i + 1, 2) : -1;
      i += 3;
      if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
        int start = ++i;
        while (i < n && TimestampParser.digit(s, i)) {
          if (i - start < 3) {
            millis = millis * 10 + (s.charAt(i) - '0');
          }
          i++;
        }
        if (i == start) {
          return INVALID;
        }
        for (int k = i - start; k < 3; k++) {
          millis *= 10;
        }
      }
    }
    if (hour < 0 || minute < 0 || second < 0) {
      return INVALID;
    }
    int offset = zone(s, i);
    return offset == Integer.MIN_VALUE
        ? INVALID
        : millis(year, month, day, hour, minute, second, millis, offset);
  }

  /** {@code dd/MMM/yyyy:HH:mm:ss[ zone]} as written by nginx and Apache. */
  static long commonLog(String s, String months) {
    int day = num(s, 0, 2);
    int m = months.indexOf(s.substring(3, 6));
    int year = s.charAt(6) == '/' ? num(s, 7, 4) : -1;
    if (day < 0 || m < 0 || m % 3 != 0 || year < 0 || s.charAt(11) != ':') {
      return INVALID;
    }
    int hour = num(s, 12, 2);
    int minute = s.charAt(14) == ':' ? num(s, 15, 2) : -1;
    int second = s.charAt(17) == ':' ? num(s, 18, 2) : -1;
    if (hour < 0 || minute < 0 || second < 0) {
      return INVALID;
    }
    int offset = zone(s, 20);
    return offset == Integer.MIN_VALUE
        ? INVALID
        : millis(year, m / 3 + 1, day, hour, minute, second, 0, offset);
  }

  /** Zone offset in minutes from position i to the end; MIN_VALUE when malformed. */
  private static int zone(String s, int i) {
    int n = s.length();
    if (i < n && s.charAt(i) == ' ') {
      i++;
    }
    if (i == n) {
      return 0;
    }
    char c = s.charAt(i);
    if ((c == 'Z' || c == 'z') && i + 1 == n) {
      return 0;
    }
    if (s.startsWith("UTC", i) && i + 3 == n || s.startsWith("GMT", i) && i + 3 == n) {
      return 0;
    }
    if (c != '+' && c != '-') {
      return Integer.MIN_VALUE;
    }
    int rest = n - i - 1;
    int hh = rest >= 2 ? num(s, i + 1, 2) : -1;
    int mm;
    if (rest == 2) {
      mm = 0;
    } else if (rest == 4) {
      mm = num(s, i + 3, 2);
    } else if (rest == 5 && s.charAt(i + 3) == ':') {
      mm = num(s, i + 4, 2);
    } else {
      return Integer.MIN_VALUE;
    }
    if (hh < 0 || hh > 18 || mm < 0 || mm > 59) {
      return Integer.MIN_VALUE;
    }
    int minutes = hh * 60 + mm;
    return c == '-' ? -minutes : minutes;
  }

  private static long millis(
      int year, int month, int day, int hour, int minute, int second, int ms, int offsetMin) {
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      return INVALID;
    }
    if (hour > 23 || minute > 59 || second > 60) {
      return INVALID;
    }
    // A leap second (:60) is stored as the last millisecond-aligned instant of its minute.
    int sec = Math.min(second, 59);
    long days = daysFromCivil(year, month, day);
    long t = ((days * 24 + hour) * 60 + minute - offsetMin) * 60 + sec;
    return t * 1000 + (second == 60 ? 999 : ms);
  }

  /** Days since 1970-01-01 (proleptic Gregorian), H. Hinnant's days_from_civil. */
  static long daysFromCivil(int y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (long) era * 146097 + doe - 719468;
  }

  private static int daysInMonth(int year, int month) {
    if (month == 2) {
      boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
      return leap ? 29 : 28;
    }
    return (month == 4 || month == 6 || month == 9 || month == 11) ? 30 : 31;
  }

  /** The decimal number in s[from, from+len), or -1 when out of bounds or not all digits. */
  private static int num(String s, int from, int len) {
    if (from + len > s.length()) {
      return -1;
    }
    int v = 0;
    for (int i = from; i < from + len; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
