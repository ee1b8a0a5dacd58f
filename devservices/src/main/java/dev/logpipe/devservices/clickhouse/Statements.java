package dev.logpipe.devservices.clickhouse;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The little SQL reading the HTTP front needs: leading keyword, trailing FORMAT, INSERT split. */
final class Statements {
  private static final Pattern TRAILING_FORMAT =
      Pattern.compile("(?is)^(.*?)\\s+FORMAT\\s+([A-Za-z][A-Za-z0-9_]*)[\\s;]*$");
  private static final Pattern TRAILING_VALUES = Pattern.compile("(?is)^(.*?)\\s+VALUES[\\s;]*$");
  private static final Pattern LEADING_NOISE =
      Pattern.compile("^(?:\\s+|--[^\\n]*(?:\\n|$)|/\\*.*?\\*/)*", Pattern.DOTALL);
  private static final Pattern KEYWORD = Pattern.compile("^[A-Za-z]+");

  /** An INSERT whose data follows separately: the statement without FORMAT, and the format. */
  record Insert(String statement, String format) {}

  private Statements() {}

  /** The first keyword, upper-cased, after whitespace and comments; "" if there is none. */
  static String firstKeyword(String sql) {
    String rest = sql.substring(leadingNoiseEnd(sql));
    Matcher keyword = KEYWORD.matcher(rest);
    return keyword.find() ? keyword.group().toUpperCase(Locale.ROOT) : "";
  }

  /** The statement's own output or input format, when it ends with {@code FORMAT name}. */
  static Optional<String> trailingFormat(String sql) {
    Matcher m = TRAILING_FORMAT.matcher(sql);
    return m.matches() ? Optional.of(m.group(2)) : Optional.empty();
  }

  /**
   * Splits an INSERT that expects its data in the request body: {@code INSERT INTO t FORMAT
   * RowBinary} becomes ("INSERT INTO t", "RowBinary"), {@code INSERT INTO t VALUES} becomes
   * ("INSERT INTO t", "Values"). Anything else (INSERT ... SELECT, inline VALUES) is empty.
   */
  static Optional<Insert> insertAwaitingData(String sql) {
    if (!firstKeyword(sql).equals("INSERT")) {
      return Optional.empty();
    }
    Matcher format = TRAILING_FORMAT.matcher(sql);
    if (format.matches()) {
      return Optional.of(new Insert(format.group(1).strip(), format.group(2)));
    }
    Matcher values = TRAILING_VALUES.matcher(sql);
    if (values.matches()) {
      return Optional.of(new Insert(values.group(1).strip(), "Values"));
    }
    return Optional.empty();
  }

  private static int leadingNoiseEnd(String sql) {
    Matcher m = LEADING_NOISE.matcher(sql);
    return m.lookingAt() ? m.end() : 0;
  }
}
