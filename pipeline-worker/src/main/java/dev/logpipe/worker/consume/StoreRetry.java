package dev.logpipe.worker.consume;

import dev.logpipe.worker.sink.StoreException;
import java.util.Collection;
import java.util.function.LongPredicate;

/**
 * A batch whose store failed, waiting for its next attempt with the same token: capped backoff with
 * jitter, cut short once a probe saw ClickHouse answer after a failure that never reached the
 * server (a batch ClickHouse rejected still backs off). The batch stays here while its retry is
 * being stored, so nothing newer is sealed before it. Consumer thread only.
 */
final class StoreRetry {
  private final Backoff backoff = new Backoff(200, 30_000);
  private Batch batch;
  private long retryAtNanos;
  private long failedAtNanos;
  private boolean unreachable;

  /**
   * Readiness probe hook: true once ClickHouse answered after the given time (never by default).
   */
  private LongPredicate answeredSince = nanos -> false;

  void answeredSince(LongPredicate answeredSince) {
    this.answeredSince = answeredSince;
  }

  /** The waiting batch, or null. */
  Batch batch() {
    return batch;
  }

  boolean waiting() {
    return batch != null;
  }

  /** Whether the waiting batch holds any of {@code partitions}. */
  boolean holdsAny(Collection<Integer> partitions) {
    return batch != null && batch.partitions().stream().anyMatch(partitions::contains);
  }

  /** Keeps {@code failed} for a retry after the next backoff delay; returns that delay in ms. */
  long schedule(Batch failed, Exception failure) {
    batch = failed;
    long delay = backoff.nextMillis();
    failedAtNanos = System.nanoTime();
    unreachable = failure instanceof StoreException se && se.serverCode() == 0;
    retryAtNanos = failedAtNanos + delay * 1_000_000;
    return delay;
  }

  boolean due(long nowNanos) {
    return nowNanos >= retryAtNanos || (unreachable && answeredSince.test(failedAtNanos));
  }

  long retryAtNanos() {
    return retryAtNanos;
  }

  int attempts() {
    return backoff.attempts();
  }

  /** Forgets the waiting batch (only its identical replay from the ledger may store it now). */
  void drop() {
    batch = null;
  }

  /** A batch was stored: nothing waits, and the next failure backs off from the start. */
  void succeeded() {
    batch = null;
    backoff.reset();
  }
}
