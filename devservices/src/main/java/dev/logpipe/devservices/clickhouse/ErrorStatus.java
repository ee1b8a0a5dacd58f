package dev.logpipe.devservices.clickhouse;

import java.util.Map;
import java.util.Set;

/**
 * HTTP status for a ClickHouse error, as ClickHouse's own exceptionCodeToHTTPStatus.cpp decides it,
 * keyed by the error name chDB appends to every message (with a fallback by code).
 */
final class ErrorStatus {
  private static final Set<String> FORBIDDEN =
      Set.of(
          "UNKNOWN_USER",
          "WRONG_PASSWORD",
          "AUTHENTICATION_FAILED",
          "SET_NON_GRANTED_ROLE",
          "ACCESS_DENIED");
  private static final Set<String> BAD_REQUEST =
      Set.of(
          "BAD_ARGUMENTS",
          "CANNOT_COMPILE_REGEXP",
          "CANNOT_PARSE_TEXT",
          "CANNOT_PARSE_ESCAPE_SEQUENCE",
          "CANNOT_PARSE_QUOTED_STRING",
          "CANNOT_PARSE_DATE",
          "CANNOT_PARSE_DATETIME",
          "CANNOT_PARSE_NUMBER",
          "CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING",
          "CANNOT_PARSE_IPV4",
          "CANNOT_PARSE_IPV6",
          "CANNOT_PARSE_INPUT_ASSERTION_FAILED",
          "CANNOT_PARSE_UUID",
          "DUPLICATE_COLUMN",
          "ILLEGAL_COLUMN",
          "UNKNOWN_ELEMENT_IN_AST",
          "UNKNOWN_TYPE_OF_AST_NODE",
          "THERE_IS_NO_COLUMN",
          "TOO_DEEP_AST",
          "TOO_BIG_AST",
          "UNEXPECTED_AST_STRUCTURE",
          "SYNTAX_ERROR",
          "INCORRECT_DATA",
          "TYPE_MISMATCH",
          "VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE");
  private static final Set<String> NOT_FOUND =
      Set.of(
          "UNKNOWN_TABLE",
          "UNKNOWN_FUNCTION",
          "UNKNOWN_IDENTIFIER",
          "UNKNOWN_TYPE",
          "UNKNOWN_STORAGE",
          "UNKNOWN_DATABASE",
          "UNKNOWN_SETTING",
          "UNKNOWN_DIRECTION_OF_SORTING",
          "UNKNOWN_AGGREGATE_FUNCTION",
          "UNKNOWN_FORMAT",
          "UNKNOWN_DATABASE_ENGINE",
          "UNKNOWN_TYPE_OF_QUERY",
          "UNKNOWN_ROLE");
  private static final Map<String, Integer> OTHER =
      Map.of(
          "REQUIRED_PASSWORD", 401,
          "QUERY_IS_TOO_LARGE", 413,
          "NOT_IMPLEMENTED", 501,
          "SOCKET_TIMEOUT", 503,
          "CANNOT_OPEN_FILE", 503,
          "HTTP_LENGTH_REQUIRED", 411,
          "TIMEOUT_EXCEEDED", 408,
          "CANNOT_SCHEDULE_TASK", 503,
          "UNSUPPORTED_MEDIA_TYPE", 415);

  /** For messages without the trailing (NAME): the codes clients meet most. */
  private static final Map<Integer, String> NAMES_BY_CODE =
      Map.ofEntries(
          Map.entry(6, "CANNOT_PARSE_TEXT"),
          Map.entry(26, "CANNOT_PARSE_QUOTED_STRING"),
          Map.entry(27, "CANNOT_PARSE_INPUT_ASSERTION_FAILED"),
          Map.entry(36, "BAD_ARGUMENTS"),
          Map.entry(46, "UNKNOWN_FUNCTION"),
          Map.entry(47, "UNKNOWN_IDENTIFIER"),
          Map.entry(53, "TYPE_MISMATCH"),
          Map.entry(60, "UNKNOWN_TABLE"),
          Map.entry(62, "SYNTAX_ERROR"),
          Map.entry(73, "UNKNOWN_FORMAT"),
          Map.entry(81, "UNKNOWN_DATABASE"),
          Map.entry(115, "UNKNOWN_SETTING"),
          Map.entry(117, "INCORRECT_DATA"),
          Map.entry(516, "AUTHENTICATION_FAILED"));

  private ErrorStatus() {}

  static int of(ChdbException error) {
    String name = error.errorName();
    return of(name.isEmpty() ? NAMES_BY_CODE.getOrDefault(error.code(), "") : name);
  }

  static int of(String errorName) {
    if (FORBIDDEN.contains(errorName)) {
      return 403;
    }
    if (BAD_REQUEST.contains(errorName)) {
      return 400;
    }
    if (NOT_FOUND.contains(errorName)) {
      return 404;
    }
    return OTHER.getOrDefault(errorName, 500);
  }
}
