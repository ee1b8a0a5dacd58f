package dev.logpipe.worker.model;

/** The normalised severity levels stored in the {@code level} column, lowest first. */
public enum Level {
  TRACE,
  DEBUG,
  INFO,
  WARN,
  ERROR,
  FATAL;

  /** True for ERROR and FATAL, the levels that count towards error rates and bursts. */
  public static boolean isError(String level) {
    return "ERROR".equals(level) || "FATAL".equals(level);
  }
}
