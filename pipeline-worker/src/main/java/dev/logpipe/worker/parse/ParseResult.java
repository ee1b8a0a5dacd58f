package dev.logpipe.worker.parse;

import dev.logpipe.worker.model.LogEvent;
import dev.logpipe.worker.model.Rejection;

/** Exactly one of {@code event} (parsed) or {@code rejection} (goes to the dead-letter topic). */
public record ParseResult(LogEvent event, Rejection rejection) {

  public static ParseResult ok(LogEvent event) {
    return new ParseResult(event, null);
  }

  public static ParseResult rejected(Rejection.Reason reason, String detail) {
    return new ParseResult(null, new Rejection(reason, detail));
  }

  public boolean isOk() {
    return event != null;
  }
}
