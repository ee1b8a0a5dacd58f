package dev.logpipe.sandbox.pods;

import java.time.Duration;

/**
 * The kubelet's restart delay for a container that keeps exiting (restartPolicy Always): the first
 * restart at once, then 10 s doubling up to 5 min; a container that ran 10 min starts over.
 */
final class CrashLoopBackoff {
  static final Duration INITIAL = Duration.ofSeconds(10);
  static final Duration MAX = Duration.ofMinutes(5);
  static final Duration RESET_AFTER = Duration.ofMinutes(10);

  private CrashLoopBackoff() {}

  /**
   * @param step how many exits in a row came sooner than {@link #RESET_AFTER} before this one
   */
  static Duration delay(int step) {
    if (step <= 0) {
      return Duration.ZERO;
    }
    // 10 s * 2^(step-1), capped before the shift can overflow
    Duration delay = INITIAL.multipliedBy(1L << Math.min(step - 1, 10));
    return delay.compareTo(MAX) > 0 ? MAX : delay;
  }
}
