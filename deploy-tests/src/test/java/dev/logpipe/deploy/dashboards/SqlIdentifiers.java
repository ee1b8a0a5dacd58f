package dev.logpipe.deploy.dashboards;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Identifiers in a panel's SQL that are neither keywords, functions, aliases nor columns. */
final class SqlIdentifiers {
  private static final Set<String> KEYWORDS =
      Set.of(
          "select",
          "from",
          "where",
          "and",
          "or",
          "not",
          "in",
          "group",
          "by",
          "order",
          "asc",
          "desc",
          "limit",
          "as",
          "having",
          "distinct",
          "interval",
          "day",
          "hour",
          "minute",
          "second",
          "like",
          "ilike",
          "is",
          "null",
          "between",
          "case",
          "when",
          "then",
          "else",
          "end",
          "with",
          "true",
          "false");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern ALIAS = Pattern.compile("(?i)\\bAS\\s+([A-Za-z_][A-Za-z0-9_]*)");

  static List<String> unknown(String sql, Set<String> columns) {
    String code =
        sql.replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''") // string literals
            .replaceAll("\\$\\{[^}]*}", "") // Grafana variables
            .replaceAll("\\$__[A-Za-z]+", "") // plugin macros (their arguments stay)
            .replaceAll("`[^`]*`", ""); // quoted database.table from variables
    Set<String> aliases = new HashSet<>();
    Matcher a = ALIAS.matcher(code);
    while (a.find()) {
      aliases.add(a.group(1));
    }
    List<String> unknown = new ArrayList<>();
    Matcher m = TOKEN.matcher(code);
    while (m.find()) {
      String token = m.group();
      boolean function = code.substring(m.end()).stripLeading().startsWith("(");
      boolean number = m.start() > 0 && Character.isDigit(code.charAt(m.start() - 1));
      if (function
          || number
          || KEYWORDS.contains(token.toLowerCase())
          || aliases.contains(token)
          || columns.contains(token)) {
        continue;
      }
      unknown.add(token);
    }
    return unknown;
  }
}
