package dev.logpipe.worker.consume;

import dev.logpipe.worker.sink.ClickHouseBatchWriter;
import dev.logpipe.worker.sink.StoreException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stores one batch at a time on a thread of its own, so the consume loop reads the next batch while
 * ClickHouse writes the previous one. Storing means: dead-letter records acknowledged, then the
 * rows inserted with the batch's deduplication token. Committing stays with the loop.
 */
final class BatchStore implements AutoCloseable {
  /** How a store attempt ended: {@code failure} null means stored. */
  record Outcome(Batch batch, Duration took, Exception failure) {
    boolean stored() {
      return failure == null;
    }
  }

  private final ClickHouseBatchWriter writer;
  private final DeadLetterPublisher deadLetters;
  private final String pipeline;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "batch-store");
            t.setDaemon(true);
            return t;
          });
  private CompletableFuture<Outcome> inFlight;

  /** When the batch in flight was submitted (System.nanoTime), 0 when none: for readiness. */
  private volatile long submittedAtNanos;

  BatchStore(ClickHouseBatchWriter writer, DeadLetterPublisher deadLetters, String pipeline) {
    this.writer = writer;
    this.deadLetters = deadLetters;
    this.pipeline = pipeline;
  }

  boolean busy() {
    return inFlight != null;
  }

  void submit(Batch batch) {
    if (inFlight != null) {
      throw new IllegalStateException("a batch is already being stored");
    }
    submittedAtNanos = System.nanoTime();
    inFlight = CompletableFuture.supplyAsync(() -> store(batch), thread);
  }

  /** How long the batch in flight has been storing, 0 when none; safe from any thread. */
  long inFlightNanos() {
    long at = submittedAtNanos;
    return at == 0 ? 0 : System.nanoTime() - at;
  }

  /** The outcome if the in-flight batch finished within {@code wait}, else null. */
  Outcome poll(Duration wait) {
    if (inFlight == null) {
      return null;
    }
    try {
      Outcome outcome = inFlight.get(wait.toNanos(), TimeUnit.NANOSECONDS);
      inFlight = null;
      submittedAtNanos = 0;
      return outcome;
    } catch (TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      throw new IllegalStateException("store thread failed", e.getCause());
    }
  }

  private Outcome store(Batch batch) {
    long t0 = System.nanoTime();
    try {
      deadLetters.awaitAcknowledged(batch.deadLetters());
      if (batch.rows() > 0) {
        writer.insert(batch.body(), batch.deduplicationToken(pipeline));
      }
      return new Outcome(batch, Duration.ofNanos(System.nanoTime() - t0), null);
    } catch (StoreException | DeadLetterPublisher.DeadLetterException e) {
      return new Outcome(batch, Duration.ofNanos(System.nanoTime() - t0), e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
