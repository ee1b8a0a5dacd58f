package dev.logpipe.operator.dependent;

import dev.logpipe.operator.external.BackendException;
import dev.logpipe.operator.external.ClickHouseAdmin;
import dev.logpipe.operator.external.TableState;
import dev.logpipe.operator.model.StorageOwner;
import dev.logpipe.operator.status.Reason;
import dev.logpipe.worker.config.LogTableSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the ClickHouse side of every pipeline (observe the table, create it, migrate it) off the
 * reconcile threads, on one queue per ClickHouse server. A reconciliation asks for a table and gets
 * the last outcome at once: provisioned, failed, or nothing yet; the work itself happens on the
 * server's queue and, when its outcome differs from the last one, the pipeline is told to reconcile
 * again. So a slow or hung ClickHouse (DDL may take up to a minute) occupies its own queue and
 * never the threads that build pipelines of other backends, or the Kubernetes side of its own.
 *
 * <p>One queue per server also serializes DDL per server, which is what ClickHouse prefers, and
 * orders a drop after any create of the same table that was queued before it. A queued job runs the
 * newest request for its table; after a job found the server unreachable, the jobs queued behind it
 * fail at once for a short window instead of each waiting for its own timeout.
 *
 * <p>Ownership: every table carries its pipeline's identity ({@link StorageOwner}) in its comment,
 * read before anything is created, altered or dropped, on this same queue, so nothing can claim the
 * table between the check and the statement (one operator leader runs DDL). A table that belongs to
 * another pipeline is neither migrated nor dropped, and its outcome says whose it is.
 */
public final class StorageProvisioner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StorageProvisioner.class);

  /** Whether a pipeline's table is known to be its own, which gates its workers. */
  public enum Ownership {
    /** Provisioned for this pipeline: created by it, carrying its identity, or adopted. */
    MINE,
    /** The table carries another pipeline's identity (or is not logpipe's). */
    OTHERS,
    /** Not checked since the operator started, or the server could not be asked. */
    UNKNOWN
  }

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

  /** What the queue does on one server: {@link #on(ClickHouseAdmin)} in production. */
  public interface Storage {
    /** Observes the table, creates or migrates it forward; returns the state it is now in. */
    TableState provision(TableState desired);

    void drop(String database, String table);
  }

  /** One table's work: which server, through what, and whom to tell when the outcome changed. */
  public record Job(String server, Storage storage, TableState desired, Runnable onChange) {
    String key() {
      return StorageProvisioner.key(server, desired.database(), desired.table());
    }
  }

  /**
   * After a job found the server unreachable, later jobs for that server within this window fail at
   * once with the same error instead of each waiting for their own timeout.
   */
  static final Duration UNREACHABLE_WINDOW = Duration.ofSeconds(5);

  private record Unreachable(BackendException error, long untilNanos) {}

  private final long recheckAfterNanos;
  private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();

  /** The newest request per table: a queued job runs whatever was asked last, not first. */
  private final Map<String, Job> wanted = new ConcurrentHashMap<>();

  private final Map<String, Ownership> ownership = new ConcurrentHashMap<>();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final Map<String, Future<?>> drops = new ConcurrentHashMap<>();
  private final Map<String, Unreachable> unreachable = new ConcurrentHashMap<>();
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
    wanted.put(key, job);
    Outcome last = outcomes.get(key);
    Outcome current = last != null && last.desired().equals(job.desired()) ? last : null;
    boolean fresh = current instanceof Provisioned p && System.nanoTime() - p.expiresNanos() < 0;
    if (!fresh) {
      enqueue(job.server(), key);
    }
    return Optional.ofNullable(current);
  }

  /**
   * Drops the table's objects on the server's queue, after anything queued for it before, without
   * waiting: returns true once the drop has succeeded, false while it is still queued (the caller
   * asks again later), and throws what the drop failed with. One drop per table is in flight.
   */
  public boolean drop(String server, Storage storage, String database, String table) {
    String key = key(server, database, table);
    forget(database, table);
    Future<?> drop =
        drops.computeIfAbsent(
            key,
            k ->
                queue(server)
                    .submit(
                        () -> {
                          attempt(
                              server,
                              () -> {
                                storage.drop(database, table);
                                return null;
                              });
                          // A job that ran before this drop may have recorded an outcome.
                          outcomes.remove(k);
                          wanted.remove(k);
                          ownership.remove(k);
                        }));
    if (!drop.isDone()) {
      return false;
    }
    drops.remove(key, drop);
    try {
      drop.get();
      return true;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    } catch (CancellationException e) {
      throw new IllegalStateException("the operator is stopping; " + database + "." + table, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while dropping " + database + "." + table, e);
    }
  }

  /** Forgets what is known of a table (its pipeline is gone); a new one starts from scratch. */
  public void forget(String database, String table) {
    String suffix = " " + database + "." + table;
    outcomes.keySet().removeIf(k -> k.endsWith(suffix));
    wanted.keySet().removeIf(k -> k.endsWith(suffix));
    ownership.keySet().removeIf(k -> k.endsWith(suffix));
  }

  /** What the last completed job found about who owns the table (sticky across outages). */
  public Ownership ownership(String server, String database, String table) {
    return ownership.getOrDefault(key(server, database, table), Ownership.UNKNOWN);
  }

  private void enqueue(String server, String key) {
    if (queued.add(key)) {
      queue(server).execute(() -> run(key));
    }
  }

  private void run(String key) {
    queued.remove(key);
    Job job = wanted.get(key);
    if (job == null) {
      return; // forgotten while queued
    }
    TableState desired = job.desired();
    Outcome next;
    try {
      TableState state = attempt(job.server(), () -> job.storage().provision(desired));
      next = new Provisioned(desired, state, deadline());
    } catch (RuntimeException e) {
      next = new Failed(desired, e);
    }
    if (next instanceof Provisioned) {
      ownership.put(key, Ownership.MINE);
    } else if (((Failed) next).error() instanceof BackendException b
        && b.reason() == Reason.StorageOwnedByOther) {
      ownership.put(key, Ownership.OTHERS);
    }
    Outcome previous = outcomes.put(key, next);
    if (!sameMeaning(previous, next)) {
      job.onChange().run();
    }
    Job newer = wanted.get(key);
    if (newer != null && !newer.desired().equals(desired)) {
      // The spec changed while this ran: provision what is wanted now.
      enqueue(newer.server(), key);
    }
  }

  /**
   * Runs one piece of work against {@code server}, unless a real attempt found it unreachable
   * within {@link #UNREACHABLE_WINDOW}: then fails at once with that attempt's error (which does
   * not extend the window). A real attempt that finds it unreachable opens the window.
   */
  private <T> T attempt(String server, Supplier<T> work) {
    Unreachable u = unreachable.get(server);
    if (u != null) {
      if (System.nanoTime() - u.untilNanos() < 0) {
        throw u.error();
      }
      unreachable.remove(server, u);
    }
    try {
      return work.get();
    } catch (BackendException e) {
      if (e.reason() == Reason.ClickHouseUnreachable) {
        unreachable.put(
            server, new Unreachable(e, System.nanoTime() + UNREACHABLE_WINDOW.toNanos()));
      }
      throw e;
    }
  }

  /**
   * The pipeline's table on a ClickHouse server, with statements from {@link LogTableSchema}, for
   * {@code owner}: created with its identity, and neither altered nor dropped when it is another's.
   */
  public static Storage on(ClickHouseAdmin admin, StorageOwner owner) {
    return new Storage() {
      @Override
      public TableState provision(TableState desired) {
        return StorageProvisioner.provision(admin, owner, desired);
      }

      @Override
      public void drop(String database, String table) {
        Optional<TableState> actual = admin.table(database, table);
        if (actual.isPresent()) {
          try {
            requireOwnedBy(owner, actual.get());
          } catch (BackendException e) {
            // Not ours: nothing of this pipeline's to drop, so its deletion goes ahead.
            LOG.warn(
                "event=table_not_dropped pipeline={} table={}.{} message=\"{}\"",
                owner.qualifiedName(),
                database,
                table,
                e.getMessage());
            return;
          }
        }
        admin.execute(LogTableSchema.drop(database, table), Reason.StorageMigrationFailed);
      }
    };
  }

  /** Observes, then creates or migrates forward; returns the state the table is now in. */
  private static TableState provision(
      ClickHouseAdmin admin, StorageOwner owner, TableState desired) {
    admin.requireSupportedVersion();
    String db = desired.database();
    String table = desired.table();
    Optional<TableState> actual = admin.table(db, table);
    if (actual.isEmpty()) {
      admin.ensureDatabase(db, owner.databaseComment(), Reason.StorageMigrationFailed);
      admin.execute(
          LogTableSchema.createObjects(db, table, desired.retentionDays(), owner.comment()),
          Reason.StorageMigrationFailed);
      return desired;
    }
    requireOwnedBy(owner, actual.get());
    if (!desired.satisfiedBy(actual.get())) {
      // Idempotent: ADD COLUMN IF NOT EXISTS, the new TTL, missing views.
      List<String> statements = new ArrayList<>();
      if (!owner.comment().equals(actual.get().comment())) {
        // A table of an earlier version (no owner yet) or of this pipeline's earlier incarnation
        // (deleted with Retain, created again): stamped before anything else is changed.
        statements.add(LogTableSchema.modifyComment(db, table, owner.comment()));
        LOG.info(
            "event=table_adopted pipeline={} table={}.{} previousComment=\"{}\"",
            owner.qualifiedName(),
            db,
            table,
            actual.get().comment());
      }
      statements.addAll(LogTableSchema.migrate(db, table, desired.retentionDays()));
      admin.execute(statements, Reason.StorageMigrationFailed);
      return desired;
    }
    return actual.get();
  }

  /**
   * Passes when the table's comment names {@code me} (by namespace/name) or is empty (a table made
   * before owners were recorded, which this pipeline then adopts); otherwise refuses, naming the
   * owner.
   */
  static void requireOwnedBy(StorageOwner me, TableState actual) {
    String comment = actual.comment() == null ? "" : actual.comment().strip();
    Optional<StorageOwner> owner = StorageOwner.parse(comment);
    if (owner.isPresent() ? me.samePipeline(owner.get()) : comment.isEmpty()) {
      return;
    }
    String who =
        owner
            .map(o -> "LogPipeline " + o.qualifiedName() + " (backend " + o.backend() + ")")
            .orElse("something other than logpipe (its comment names no LogPipeline)");
    throw new BackendException(
        Reason.StorageOwnedByOther,
        "Table "
            + actual.database()
            + "."
            + actual.table()
            + " belongs to "
            + who
            + "; this pipeline neither writes to it nor drops it, and its workers are stopped."
            + " Rename the pipeline or use another backend.");
  }

  /**
   * Whether waking the pipeline is unnecessary: same kind of outcome for the same desired state. A
   * failure that follows a failure is picked up by the pipeline's retry backoff instead, so a
   * server that keeps failing with changing messages cannot drive a reconcile loop.
   */
  static boolean sameMeaning(Outcome a, Outcome b) {
    return a != null
        && b != null
        && a.getClass() == b.getClass()
        && a.desired().equals(b.desired());
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
