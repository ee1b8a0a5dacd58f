package dev.logpipe.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.operator.external.BackendException;
import dev.logpipe.operator.external.TableState;
import dev.logpipe.operator.status.Reason;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provisioning queue's rules, with a recording stand-in for the server so each step can be held
 * and released (the real ClickHouse side is covered by the operator ITs).
 */
class StorageProvisionerTest {
  private static final String SERVER = "http://ch:8123";

  private final StorageProvisioner provisioner = new StorageProvisioner(Duration.ofHours(1));
  private final Recorder storage = new Recorder();
  private final AtomicInteger wakeUps = new AtomicInteger();

  @AfterEach
  void close() {
    storage.release();
    provisioner.close();
  }

  @Test
  void firstRequestIsPendingThenProvisionedAndWakesThePipelineOnce() {
    assertThat(provisioner.request(job("t1", 14))).isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> wakeUps.get() == 1);
    Optional<StorageProvisioner.Outcome> outcome = provisioner.request(job("t1", 14));
    assertThat(outcome).containsInstanceOf(StorageProvisioner.Provisioned.class);
    assertThat(outcome.get().desired().retentionDays()).isEqualTo(14);
    // Fresh: no further work, no further wake-up.
    assertThat(storage.calls).containsExactly("provision t1 14");
    assertThat(wakeUps).hasValue(1);
  }

  @Test
  void aSpecChangeWhileAJobIsQueuedIsProvisionedAndWakesThePipeline() throws Exception {
    storage.hold();
    provisioner.request(job("blocker", 1)); // occupies the server's queue
    storage.awaitRunning();
    provisioner.request(job("t1", 14));
    provisioner.request(job("t1", 21)); // same table, newer spec, while the first is queued
    storage.release();

    awaitProvisioned("t1", 21);
    // The queued job ran the newest request; the old one never reached the server.
    assertThat(storage.calls).containsExactly("provision blocker 1", "provision t1 21");
  }

  @Test
  void aChangeArrivingWhileTheJobRunsIsProvisionedRightAfter() throws Exception {
    storage.hold();
    provisioner.request(job("t1", 14));
    storage.awaitRunning();
    provisioner.request(job("t1", 21));
    storage.release();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> storage.calls.equals(List.of("provision t1 14", "provision t1 21")));
    awaitProvisioned("t1", 21);
    assertThat(wakeUps.get()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void failuresAreReportedAndAFailureAfterAFailureDoesNotWakeThePipeline() {
    storage.fail(new BackendException(Reason.ClickHouseAuthFailed, "rejected (1)"));
    provisioner.request(job("t1", 14));
    await().atMost(Duration.ofSeconds(5)).until(() -> wakeUps.get() == 1);
    assertThat(provisioner.request(job("t1", 14)))
        .get()
        .isInstanceOfSatisfying(
            StorageProvisioner.Failed.class, f -> assertThat(f.error()).hasMessage("rejected (1)"));
    // That request queued a retry; it fails differently: no wake-up (the retry backoff paces it).
    storage.fail(new BackendException(Reason.ClickHouseAuthFailed, "rejected (2)"));
    await().atMost(Duration.ofSeconds(5)).until(() -> storage.calls.size() == 2);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                provisioner
                    .request(job("t1", 14))
                    .map(o -> ((StorageProvisioner.Failed) o).error().getMessage())
                    .orElse("")
                    .equals("rejected (2)"));
    assertThat(wakeUps).hasValue(1);
    // Recovery wakes it (each reconciliation, as the retry backoff runs them, asks again).
    storage.fail(null);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              provisioner.request(job("t1", 14));
              return wakeUps.get() == 2;
            });
  }

  @Test
  void afterAnUnreachableServerTheQueuedJobsFailAtOnce() throws Exception {
    storage.hold();
    storage.fail(new BackendException(Reason.ClickHouseUnreachable, "Cannot reach ClickHouse"));
    provisioner.request(job("t0", 14));
    storage.awaitRunning();
    for (int i = 1; i <= 5; i++) {
      provisioner.request(job("t" + i, 14));
    }
    storage.release();
    await().atMost(Duration.ofSeconds(5)).until(() -> wakeUps.get() == 6);
    // Only the first job waited for the server; the five behind it failed fast.
    assertThat(storage.calls).containsExactly("provision t0 14");
    for (int i = 1; i <= 5; i++) {
      assertThat(provisioner.request(job("t" + i, 14)))
          .get()
          .isInstanceOf(StorageProvisioner.Failed.class);
    }
  }

  @Test
  void dropWaitsForNothingRunsAfterQueuedWorkAndIsQueuedOnce() throws Exception {
    storage.hold();
    provisioner.request(job("t1", 14));
    storage.awaitRunning();
    assertThat(provisioner.drop(SERVER, storage, "db", "t1")).isFalse();
    assertThat(provisioner.drop(SERVER, storage, "db", "t1")).isFalse(); // not queued twice
    storage.release();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> provisioner.drop(SERVER, storage, "db", "t1"));
    assertThat(storage.calls).containsExactly("provision t1 14", "drop t1");
    // Forgotten: a pipeline of the same name starts from scratch.
    assertThat(provisioner.request(job("t1", 14))).isEmpty();
  }

  @Test
  void aFailedDropIsThrownOnceAndTheNextAttemptQueuesANewOne() {
    storage.fail(new BackendException(Reason.StorageMigrationFailed, "refused"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              try {
                provisioner.drop(SERVER, storage, "db", "t1");
                return false;
              } catch (BackendException e) {
                return e.getMessage().equals("refused");
              }
            });
    storage.fail(null);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> provisioner.drop(SERVER, storage, "db", "t1"));
    assertThat(storage.calls).containsExactly("drop t1", "drop t1");
  }

  @Test
  void sameMeaningIgnoresMessagesButNotKindOrDesiredState() {
    TableState a = state("t", 14);
    TableState b = state("t", 21);
    var failed1 = new StorageProvisioner.Failed(a, new IllegalStateException("x"));
    var failed2 = new StorageProvisioner.Failed(a, new IllegalStateException("y"));
    var ok = new StorageProvisioner.Provisioned(a, a, 0);
    assertThat(StorageProvisioner.sameMeaning(failed1, failed2)).isTrue();
    assertThat(StorageProvisioner.sameMeaning(failed1, ok)).isFalse();
    assertThat(StorageProvisioner.sameMeaning(ok, new StorageProvisioner.Provisioned(b, b, 0)))
        .isFalse();
    assertThat(StorageProvisioner.sameMeaning(null, ok)).isFalse();
  }

  private void awaitProvisioned(String table, int days) {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                provisioner
                    .request(job(table, days))
                    .filter(StorageProvisioner.Provisioned.class::isInstance)
                    .isPresent());
  }

  private StorageProvisioner.Job job(String table, int days) {
    return new StorageProvisioner.Job(
        SERVER, storage, state(table, days), wakeUps::incrementAndGet);
  }

  private static TableState state(String table, int days) {
    return new TableState("db", table, days, Set.of("message"), true, "owner");
  }

  /** Records calls; can hold a call until released, and fail with a given error. */
  private static final class Recorder implements StorageProvisioner.Storage {
    final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final CountDownLatch running = new CountDownLatch(1);
    private volatile RuntimeException failure;

    void hold() {
      gate = new CountDownLatch(1);
    }

    void release() {
      gate.countDown();
    }

    void fail(RuntimeException e) {
      failure = e;
    }

    void awaitRunning() throws InterruptedException {
      assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Override
    public TableState provision(TableState desired) {
      calls.add("provision " + desired.table() + " " + desired.retentionDays());
      pass();
      return desired;
    }

    @Override
    public void drop(String database, String table) {
      calls.add("drop " + table);
      pass();
    }

    private void pass() {
      running.countDown();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      RuntimeException e = failure;
      if (e != null) {
        throw e;
      }
    }
  }
}
