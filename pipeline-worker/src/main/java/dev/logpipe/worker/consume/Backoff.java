package dev.logpipe.worker.consume;

import java.util.concurrent.ThreadLocalRandom;

/** Capped exponential backoff with jitter, for retries against a backend that is down. */
final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private int attempts;

  Backoff(long initialMillis, long maxMillis) {
    this.initialMillis = initialMillis;
    this.maxMillis = maxMillis;
  }

  /** The next delay: initial × 2^attempts, capped, with up to 20% jitter. */
  long nextMillis() {
    long base = Math.min(maxMillis, initialMillis << Math.min(attempts, 20));
    attempts++;
    return base - ThreadLocalRandom.current().nextLong(base / 5 + 1);
  }

  int attempts() {
    return attempts;
  }

  void reset() {
    attempts = 0;
  }
}
