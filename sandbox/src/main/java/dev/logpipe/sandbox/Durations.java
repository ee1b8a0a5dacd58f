package dev.logpipe.sandbox;

import java.time.Duration;

/** Command-line durations: {@code 90s}, {@code 5m}, {@code 1h}, {@code 250ms}, or plain seconds. */
public final class Durations {
  private Durations() {}

  public static Duration parse(String text) {
    String t = text.trim();
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long n = Long.parseLong(t.replaceAll("[smh]$", ""));
      return switch (t.charAt(t.length() - 1)) {
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> Duration.ofSeconds(n);
      };
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 60s, 5m)", e);
    }
  }
}
