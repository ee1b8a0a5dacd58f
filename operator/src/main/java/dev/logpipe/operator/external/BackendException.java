package dev.logpipe.operator.external;

import dev.logpipe.operator.status.Reason;

/**
 * A failure of a backend (ClickHouse, Redis, Kafka, or the Secrets that unlock them) that a
 * condition reports. The reason is chosen where the failure is classified, from typed client
 * errors, so nothing downstream inspects message text. The message is a sentence for the resource's
 * status: no password, no stack trace.
 */
public class BackendException extends RuntimeException {
  /** Longest pause between two retries of a failing resource (the retry backoff's cap). */
  public static final int RETRY_MAX_SECONDS = 30;

  private final Reason reason;

  public BackendException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** The short, single-line cause shown after a colon, e.g. "Connection refused". */
  public static String shortCause(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    if (message == null || message.isBlank()) {
      message = "no details from the client";
    }
    message = message.lines().findFirst().orElse(message).strip();
    return message.length() > 120 ? message.substring(0, 117) + "..." : message;
  }
}
