package dev.logpipe.worker.health;

/**
 * What the last probe of a backend found: {@code ok}, and when not, why (the root cause, e.g.
 * "Connection refused"). {@code checkedAtNanos} 0 means not probed yet, which counts as ok: the
 * consume loop's own state covers startup.
 */
public record BackendStatus(boolean ok, String reason, long checkedAtNanos) {
  public static final BackendStatus UNKNOWN = new BackendStatus(true, "not probed yet", 0);

  static BackendStatus up(long now) {
    return new BackendStatus(true, "ok", now);
  }

  static BackendStatus down(String reason, long now) {
    return new BackendStatus(false, reason, now);
  }
}
