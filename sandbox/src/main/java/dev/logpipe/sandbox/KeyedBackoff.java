package dev.logpipe.sandbox;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The stand-ins' retry bookkeeping per namespace/name: failed attempts and the pending retry,
 * scheduled with exponential backoff (first delay doubling up to a cap) on the stand-in's one
 * worker thread. Not thread-safe by design: it is touched only on that thread, so a resource's
 * syncs never race.
 */
public final class KeyedBackoff {
  private final ScheduledExecutorService worker;
  private final long firstMs;
  private final long maxMs;
  private final Map<String, Integer> attempts = new HashMap<>();
  private final Map<String, ScheduledFuture<?>> retries = new HashMap<>();

  public KeyedBackoff(ScheduledExecutorService worker, long firstMs, long maxMs) {
    this.worker = worker;
    this.firstMs = firstMs;
    this.maxMs = maxMs;
  }

  /** A spec change or a deletion: the count starts over and any pending retry is cancelled. */
  public void forget(String key) {
    attempts.remove(key);
    ScheduledFuture<?> pending = retries.remove(key);
    if (pending != null) {
      pending.cancel(false);
    }
  }

  /** Called by the retry itself when it runs: it is no longer pending. */
  public void running(String key) {
    retries.remove(key);
  }

  public void succeeded(String key) {
    attempts.remove(key);
  }

  /** Schedules {@code retry} after the next delay of {@code key}'s backoff. */
  public void failed(String key, Runnable retry) {
    int attempt = attempts.merge(key, 1, Integer::sum);
    long delay = Math.min(maxMs, firstMs << Math.min(attempt - 1, 16));
    retries.put(key, worker.schedule(retry, delay, TimeUnit.MILLISECONDS));
  }

  public boolean pending(String key) {
    return retries.containsKey(key);
  }
}
