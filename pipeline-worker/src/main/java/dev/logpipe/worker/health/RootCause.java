package dev.logpipe.worker.health;

/**
 * The message a person can act on, from an exception chain: the deepest cause's ("Connection
 * refused", "Read timed out"), not a client library's wrapper ("Insert request failed after
 * attempts: 4").
 */
public final class RootCause {
  private RootCause() {}

  public static String of(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return t.getClass().getSimpleName();
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
