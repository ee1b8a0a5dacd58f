package dev.logpipe.worker.gateway;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A query's time window, [from, to). Each bound is ISO-8601 (instant, offset date-time, local
 * date-time taken as UTC, or a date) or relative to now ({@code 15m}, {@code 2h}, {@code 7d},
 * {@code now}). Defaults: the last 24 hours.
 */
public record TimeRange(Instant from, Instant to) {
  static final Instant MIN = Instant.parse("1900-01-01T00:00:00Z");
  static final Instant MAX = Instant.parse("2299-12-31T00:00:00Z");
  private static final Pattern RELATIVE = Pattern.compile("(\\d{1,6})(s|m|h|d)");

  public static TimeRange parse(String from, String to, Instant now, int maxRangeDays) {
    Instant end = to == null || to.isBlank() ? now : instant("to", to, now);
    Instant start =
        from == null || from.isBlank() ? end.minus(Duration.ofDays(1)) : instant("from", from, now);
    for (Instant bound : new Instant[] {start, end}) {
      if (bound.isBefore(MIN) || bound.isAfter(MAX)) {
        throw new BadRequest(
            bound == start ? "from" : "to", "times must lie between 1900 and 2299, was " + bound);
      }
    }
    if (!start.isBefore(end)) {
      throw new BadRequest("from", "from (" + start + ") must be before to (" + end + ")");
    }
    if (Duration.between(start, end).compareTo(Duration.ofDays(maxRangeDays)) > 0) {
      throw new BadRequest("from", "the time range may span at most " + maxRangeDays + " days");
    }
    return new TimeRange(start, end);
  }

  static Instant instant(String parameter, String text, Instant now) {
    String value = text.strip();
    if (value.equals("now")) {
      return now;
    }
    Matcher relative = RELATIVE.matcher(value);
    if (relative.matches()) {
      long amount = Long.parseLong(relative.group(1));
      Duration ago =
          switch (relative.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          };
      return now.minus(ago);
    }
    if (value.length() > 40) {
      throw new BadRequest(parameter, parameter + " is too long to be a time");
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException notOffset) {
      try {
        return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException notLocal) {
        try {
          return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notDate) {
          throw new BadRequest(
              parameter,
              parameter
                  + " must be ISO-8601 (2025-03-28T10:00:00Z) or relative (15m, 2h, 7d), was '"
                  + value
                  + "'");
        }
      }
    }
  }
}
