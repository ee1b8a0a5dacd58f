package dev.logpipe.devservices.clickhouse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An error chDB reported, e.g. "Code: 60. DB::Exception: ... (UNKNOWN_TABLE)". */
final class ChdbException extends Exception {
  private static final Pattern CODE = Pattern.compile("^\\s*Code:\\s*(\\d+)\\.");
  private static final Pattern NAME =
      Pattern.compile("\\(([A-Z][A-Z0-9_]+)\\)(?:\\s*\\(version [^)]*\\))?\\s*$");

  private final int code;

  ChdbException(String message) {
    super(message.strip());
    this.code = codeOf(message);
  }

  /** The ClickHouse error code from the text; 1001 (STD_EXCEPTION) when there is none. */
  int code() {
    return code;
  }

  /** The error name chDB appends, e.g. UNKNOWN_TABLE; empty when absent. */
  String errorName() {
    Matcher m = NAME.matcher(getMessage());
    return m.find() ? m.group(1) : "";
  }

  static int codeOf(String message) {
    Matcher m = CODE.matcher(message);
    return m.find() ? Integer.parseInt(m.group(1)) : 1001;
  }
}
