package dev.logpipe.sandbox.pods;

/**
 * A container CPU limit as the kernel's CFS quota applies it, as a pure rule the {@link CpuLimiter}
 * samples: each period of {@link #PERIOD_NANOS} the process may use {@code limit × period} of CPU
 * time; once it has, it waits until the allowance has grown back. Unused allowance does not pile up
 * beyond one period (CFS has no burst by default), and CPU used between two samples beyond the
 * allowance is paid back by waiting longer, so the long-run rate is the limit.
 */
final class CpuBudget {
  /** The kubelet's default CFS period (cpu.cfs_period_us = 100 ms). */
  static final long PERIOD_NANOS = 100_000_000L;

  private final long millicores;
  private final long capNanos;
  private long tokens;
  private long lastCpuNanos = -1;
  private long lastAtNanos;

  /**
   * @param millicores the limit, e.g. 250 for {@code cpu: 250m}
   */
  CpuBudget(long millicores) {
    if (millicores <= 0) {
      throw new IllegalArgumentException("a CPU limit must be positive, got " + millicores + "m");
    }
    this.millicores = millicores;
    this.capNanos = PERIOD_NANOS * millicores / 1000;
  }

  /**
   * Folds in one sample of the process's total CPU time.
   *
   * @param cpuNanos CPU time the process has used since it started (all threads)
   * @param atNanos when it was read (a monotonic clock)
   * @return whether the process may run until the next sample
   */
  boolean sample(long cpuNanos, long atNanos) {
    if (lastCpuNanos < 0) {
      tokens = capNanos;
    } else {
      long elapsed = Math.max(0, atNanos - lastAtNanos);
      tokens = Math.min(capNanos, tokens + elapsed * millicores / 1000);
      tokens -= Math.max(0, cpuNanos - lastCpuNanos);
    }
    lastCpuNanos = cpuNanos;
    lastAtNanos = atNanos;
    return tokens > 0;
  }

  long millicores() {
    return millicores;
  }
}
