package dev.logpipe.worker.consume;

import dev.logpipe.worker.sink.BatchLedger;
import dev.logpipe.worker.sink.ClickHouseBatchWriter;
import dev.logpipe.worker.sink.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stores one batch at a time on a thread of its own, so the consume loop reads the next batch while
 * ClickHouse writes the previous one. Storing means: dead-letter records acknowledged, the batch
 * recorded in the ledger (ranges, topic id, token), then the rows inserted with that token.
 * Confirmations are written with the next ledger write (or by {@link #confirm}), so the ledger
 * costs one small insert per batch; an unconfirmed batch that did land is only checked and
 * confirmed by a later owner. Committing stays with the loop.
 */
final class BatchStore implements AutoCloseable {
  /** How a store attempt ended: {@code failure} null means stored. */
  record Outcome(Batch batch, Duration took, Exception failure) {
    boolean stored() {
      return failure == null;
    }
  }

  private final ClickHouseBatchWriter writer;
  private final BatchLedger ledger;
  private final DeadLetterPublisher deadLetters;
  private final String pipeline;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "batch-store");
            t.setDaemon(true);
            return t;
          });

  /** Confirmations not yet written; touched on the store thread only. */
  private final List<BatchLedger.Entry> owed = new ArrayList<>();

  private volatile boolean owesConfirmation;
  private CompletableFuture<Outcome> inFlight;
  private Batch inFlightBatch;

  /** When the batch in flight was submitted (System.nanoTime), 0 when none: for readiness. */
  private volatile long submittedAtNanos;

  BatchStore(
      ClickHouseBatchWriter writer,
      BatchLedger ledger,
      DeadLetterPublisher deadLetters,
      String pipeline) {
    this.writer = writer;
    this.ledger = ledger;
    this.deadLetters = deadLetters;
    this.pipeline = pipeline;
  }

  boolean busy() {
    return inFlight != null;
  }

  /** The batch being stored, or null. */
  Batch inFlight() {
    return inFlightBatch;
  }

  /** Whether a stored batch's confirmation is still to be written. */
  boolean owesConfirmation() {
    return owesConfirmation;
  }

  void submit(Batch batch) {
    if (inFlight != null) {
      throw new IllegalStateException("a batch is already being stored");
    }
    inFlightBatch = batch;
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
      inFlightBatch = null;
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

  /**
   * Waits up to {@code wait} for the batch in flight to finish without taking its outcome (the loop
   * takes it later, outside the rebalance callback that waits here). True if none is running.
   */
  boolean await(Duration wait) {
    if (inFlight == null) {
      return true;
    }
    try {
      inFlight.get(wait.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Writes the owed confirmations, after the batch in flight (if any); waits at most {@code wait}.
   * Returns whether nothing is owed any more.
   */
  boolean confirm(Duration wait) {
    if (!owesConfirmation) {
      return true;
    }
    CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(this::writeOwed, thread);
    try {
      return done.get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean writeOwed() {
    try {
      ledger.write(owed);
      owed.clear();
      owesConfirmation = false;
      return true;
    } catch (StoreException e) {
      return false; // still owed; an unconfirmed batch that landed is only re-checked later
    }
  }

  private Outcome store(Batch batch) {
    long t0 = System.nanoTime();
    try {
      deadLetters.awaitAcknowledged(batch.deadLetters());
      BatchLedger.Entry entry = batch.ledgerEntry(pipeline);
      if (batch.abandoned()) {
        // Its partitions moved while it waited: not recorded, so never inserted by us.
        return new Outcome(
            batch,
            Duration.ofNanos(System.nanoTime() - t0),
            new StoreException("abandoned: partitions revoked before it was recorded", 0, null));
      }
      if (batch.rows() > 0) {
        List<BatchLedger.Entry> write = new ArrayList<>(owed);
        write.add(entry);
        ledger.write(write); // durable before the insert: a new owner can replay it identically
        owed.clear();
        writer.insert(batch.body(), entry.token());
      }
      owed.add(entry.confirmed());
      owesConfirmation = true;
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
