package dev.logpipe.worker.parse;

import dev.logpipe.worker.model.Rejection.Reason;
import java.nio.charset.StandardCharsets;

/**
 * The checks every format shares, in cost order: size, UTF-8 validity, blankness. Also the last
 * line of defence: a parser defect becomes a {@code parse_error} rejection, never a crashed worker.
 */
abstract class AbstractLogParser implements LogParser {

  final FieldMapping mapping;
  final EventNormalizer normalizer;
  final ParseLimits limits;

  AbstractLogParser(FieldMapping mapping, EventNormalizer normalizer, ParseLimits limits) {
    this.mapping = mapping;
    this.normalizer = normalizer;
    this.limits = limits;
  }

  @Override
  public final ParseResult parse(byte[] value, long kafkaTimestampMs) {
    if (value == null || value.length == 0) {
      return ParseResult.rejected(Reason.EMPTY, "record has no value");
    }
    if (value.length > limits.maxRecordBytes()) {
      return ParseResult.rejected(
          Reason.TOO_LARGE,
          "record is " + value.length + " bytes, the limit is " + limits.maxRecordBytes());
    }
    int bad = Utf8.firstInvalid(value);
    if (bad >= 0) {
      return ParseResult.rejected(
          Reason.INVALID_UTF8,
          "invalid UTF-8 at byte " + bad + " (0x" + Integer.toHexString(value[bad] & 0xFF) + ")");
    }
    if (isBlank(value)) {
      return ParseResult.rejected(Reason.EMPTY, "record is blank");
    }
    try {
      return parseValid(value, kafkaTimestampMs, new FieldCollector(mapping, limits));
    } catch (RuntimeException | StackOverflowError e) {
      return ParseResult.rejected(Reason.PARSE_ERROR, "parser failed: " + e);
    }
  }

  /** Parses a record already known to be non-blank, within size, valid UTF-8. */
  abstract ParseResult parseValid(byte[] value, long kafkaTimestampMs, FieldCollector fields);

  /** The record as text without trailing whitespace (a newline from line-based shippers). */
  static String text(byte[] value) {
    return new String(value, StandardCharsets.UTF_8).stripTrailing();
  }

  private static boolean isBlank(byte[] value) {
    for (byte b : value) {
      if (b < 0 || b > ' ') {
        return false;
      }
    }
    return true;
  }
}
