package dev.logpipe.worker.model;

/**
 * Why a record could not become a {@link LogEvent}. {@link #code()} is stable and goes into the
 * dead-letter headers and metric tags; {@link #detail()} is a sentence for a human.
 */
public record Rejection(Reason reason, String detail) {

  /** Reason codes; {@link #code()} is the snake_case form used outside the JVM. */
  public enum Reason {
    EMPTY("empty"),
    TOO_LARGE("too_large"),
    INVALID_UTF8("invalid_utf8"),
    INVALID_JSON("invalid_json"),
    NOT_AN_OBJECT("not_an_object"),
    TOO_DEEP("too_deep"),
    INVALID_LOGFMT("invalid_logfmt"),
    REGEX_NO_MATCH("regex_no_match"),
    /** format.pattern ran out of its per-record time budget (see RegexBudget). */
    REGEX_TIMEOUT("regex_timeout"),
    /** A parser defect rather than bad input; the record is kept in the dead-letter topic. */
    PARSE_ERROR("parse_error");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  public String code() {
    return reason.code();
  }

  @Override
  public String toString() {
    return reason.code() + ": " + detail;
  }
}
