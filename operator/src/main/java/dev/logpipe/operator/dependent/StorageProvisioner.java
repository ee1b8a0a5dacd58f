package dev.logpipe.operator.dependent;

import dev.logpipe.operator.external.BackendException;
import dev.logpipe.operator.external.ClickHouseAdmin;
import dev.logpipe.operator.external.TableState;
import dev.logpipe.operator.status.Reason;
import dev.logpipe.worker.config.LogTableSchema;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the ClickHouse side of every pipeline (observe the table, create it, migrate it) off the
 * reconcile threads, on one queue per ClickHouse server. A reconciliation asks for a table and gets
 * the last outcome at once: provisioned, failed, or nothing yet; the work itself happens on the
 * server's queue and, when its outcome differs from the last one, the pipeline is told to reconcile
 * again. So a slow or hung ClickHouse (DDL may take up to a minute) occupies its own queue and
 * never the threads that build pipelines of other backends, or the Kubernetes side of its own.
 *
 * <p>One queue per server also serializes DDL per server, which is what ClickHouse prefers, and
 * orders a drop after any create of the same table that was queued before it.
 */
public final class StorageProvisioner implements AutoCloseable {
  /** What the last job for one table found or did. */
  public sealed interface Outcome {
    /** The state it was computed for. */
    TableState desired();
  }

  /** The table exists as desired; trusted until {@code expiresNanos}, then checked again. */
  public record Provisioned(TableState desired, TableState state, long expiresNanos)
      implements Outcome {}

  /** The last attempt failed; every reconciliation (paced by its retry backoff) tries again. */
  public record Failed(TableState desired, RuntimeException error) implements Outcome {}

  /** One table's work: which server, with which client, and whom to tell when it changed. */
  public record Job(String server, ClickHouseAdmin admin, TableState desired, Runnable onChange) {
    String key() {
      return StorageProvisioner.key(server, desired.database(), desired.table());
    }
  }

  private static final Duration DROP_TIMEOUT = Duration.ofMinutes(2);

  private final long recheckAfterNanos;
  private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final Map<String, ExecutorService> queues = new ConcurrentHashMap<>();
  private final AtomicInteger threads = new AtomicInteger();

  /**
   * @param recheckAfter how long a provisioned table is trusted before it is observed again
   */
  public StorageProvisioner(Duration recheckAfter) {
    this.recheckAfterNanos = recheckAfter.toNanos();
  }

  /**
   * The last outcome for the job's table and desired state, if there is one; queues the job when
   * there is none yet, when it failed, or when the provisioned state is due for a re-check (the
   * stale outcome is still returned meanwhile, so a healthy table does not flicker).
   */
  public Optional<Outcome> request(Job job) {
    String key = job.key();
    Outcome last = outcomes.get(key);
    Outcome current = last != null && last.desired().equals(job.desired()) ? last : null;
    boolean fresh = current instanceof Provisioned p && System.nanoTime() - p.expiresNanos() < 0;
    if (!fresh && queued.add(key)) {
      queue(job.server()).execute(() -> run(job, key));
    }
    return Optional.ofNullable(current);
  }

  /**
   * Drops the table's objects on the server's queue (after anything queued for it before) and
   * forgets its outcome; waits for the drop so the caller's finalizer is removed only after it.
   */
  public void drop(String server, ClickHouseAdmin admin, String database, String table) {
    Future<?> done =
        queue(server)
            .submit(
                () -> {
                  outcomes.remove(key(server, database, table));
                  admin.execute(
                      LogTableSchema.drop(database, table), Reason.StorageMigrationFailed);
                });
    try {
      done.get(DROP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    } catch (TimeoutException e) {
      throw new BackendException(
          Reason.ClickHouseUnreachable,
          "ClickHouse at "
              + server
              + " did not drop "
              + database
              + "."
              + table
              + " within "
              + DROP_TIMEOUT.toSeconds()
              + " s; the drop stays queued and is retried");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while dropping " + database + "." + table, e);
    }
  }

  private void run(Job job, String key) {
    Outcome next;
    TableState desired = job.desired();
    try {
      next = new Provisioned(desired, provision(job.admin(), desired), deadline());
    } catch (RuntimeException e) {
      next = new Failed(desired, e);
    } finally {
      queued.remove(key);
    }
    Outcome previous = outcomes.put(key, next);
    if (!sameMeaning(previous, next)) {
      job.onChange().run();
    }
  }

  /** Observes, then creates or migrates forward; returns the state the table is now in. */
  private static TableState provision(ClickHouseAdmin admin, TableState desired) {
    admin.requireSupportedVersion();
    String db = desired.database();
    String table = desired.table();
    Optional<TableState> actual = admin.table(db, table);
    if (actual.isEmpty()) {
      admin.ensureDatabase(db, Reason.StorageMigrationFailed);
      admin.execute(
          LogTableSchema.createObjects(db, table, desired.retentionDays()),
          Reason.StorageMigrationFailed);
      return desired;
    }
    if (!desired.satisfiedBy(actual.get())) {
      // Idempotent: ADD COLUMN IF NOT EXISTS, the new TTL, missing views.
      admin.execute(
          LogTableSchema.migrate(db, table, desired.retentionDays()),
          Reason.StorageMigrationFailed);
      return desired;
    }
    return actual.get();
  }

  /** Whether a reconciliation would report the same thing for both (no need to wake it). */
  static boolean sameMeaning(Outcome a, Outcome b) {
    if (a instanceof Provisioned pa && b instanceof Provisioned pb) {
      return pa.desired().equals(pb.desired());
    }
    if (a instanceof Failed fa && b instanceof Failed fb) {
      return fa.desired().equals(fb.desired())
          && reason(fa.error()) == reason(fb.error())
          && Objects.equals(fa.error().getMessage(), fb.error().getMessage());
    }
    return false;
  }

  private static Reason reason(RuntimeException e) {
    return e instanceof BackendException b ? b.reason() : null;
  }

  private static String key(String server, String database, String table) {
    return server + " " + database + "." + table;
  }

  private long deadline() {
    return System.nanoTime() + recheckAfterNanos;
  }

  private ExecutorService queue(String server) {
    return queues.computeIfAbsent(
        server,
        s ->
            Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, "clickhouse-provisioner-" + threads.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                }));
  }

  /** Stops the queues; queued work is abandoned (a new operator observes the tables again). */
  @Override
  public void close() {
    queues.values().forEach(ExecutorService::shutdownNow);
    queues.clear();
  }
}
