package dev.logpipe.worker.consume;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consume loop's rebalance callbacks (on the consumer's thread, inside poll): an assigned
 * partition is gated until {@link PartitionGates} resolved its position; a revoked or lost one is
 * released, dropping only what it contributed to the batches held.
 */
final class RebalanceListener implements ConsumerRebalanceListener {
  private static final Logger LOG = LoggerFactory.getLogger(RebalanceListener.class);

  /** How long a revoke waits for the batch in flight before leaving it to the ledger. */
  private static final Duration REVOKE_WAIT = Duration.ofSeconds(10);

  private final String pipeline;
  private final Consumer<byte[], byte[]> consumer;
  private final PartitionOwnership ownership;
  private final HeldBatches held;
  private final PartitionGates gates;
  private final TopicIncarnation incarnation;

  /** At shutdown: a revoke then waits for nothing more (the drain already had the grace period). */
  private final BooleanSupplier stopping;

  /** The partitions assigned to this loop, readable from other threads (lag, readiness). */
  private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();

  RebalanceListener(
      String pipeline,
      Consumer<byte[], byte[]> consumer,
      PartitionOwnership ownership,
      HeldBatches held,
      PartitionGates gates,
      TopicIncarnation incarnation,
      BooleanSupplier stopping) {
    this.pipeline = pipeline;
    this.consumer = consumer;
    this.ownership = ownership;
    this.held = held;
    this.gates = gates;
    this.incarnation = incarnation;
    this.stopping = stopping;
  }

  /** The partitions owned now; safe from any thread. */
  Set<TopicPartition> ownedPartitions() {
    return Set.copyOf(owned);
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    owned.removeAll(partitions);
    if (partitions.isEmpty()) {
      return;
    }
    // At shutdown the drain already had the grace period: do not wait again.
    release(partitions, !stopping.getAsBoolean());
    LOG.info("event=partitions_revoked pipeline={} partitions={}", pipeline, partitions);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    owned.removeAll(partitions);
    // Others may own them already: drop them at once, wait for nothing.
    release(partitions, false);
    LOG.warn("event=partitions_lost pipeline={} partitions={}", pipeline, partitions);
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    owned.addAll(partitions);
    // Nothing is read from a new partition before its position is resolved from the ledger,
    // under the topic id Kafka gives now (asked afresh: the topic may have been recreated).
    consumer.pause(partitions);
    ownership.gate(partitions, System.nanoTime());
    incarnation.refresh();
    LOG.info("event=partitions_assigned pipeline={} partitions={}", pipeline, partitions);
  }

  /**
   * Gives {@code leaving} up: what they contributed to the current batch is dropped; a waiting
   * retry holding one of them is dropped whole and its other partitions are re-read from the
   * ledger; the batch in flight is abandoned if it is not recorded yet, or else given a bounded
   * wait (its outcome then commits and retries only what is still ours). Nothing is committed here:
   * inside a cooperative rebalance a commit fails, and the ledger tells the next owner where to
   * resume.
   */
  private void release(Collection<TopicPartition> leaving, boolean wait) {
    Set<TopicPartition> released = ownership.release(leaving);
    if (released.isEmpty()) {
      return;
    }
    Set<Integer> numbers =
        released.stream().map(TopicPartition::partition).collect(Collectors.toSet());
    held.current().drop(numbers);
    StoreRetry retry = held.retry();
    if (retry.holdsAny(numbers)) {
      Set<TopicPartition> rest =
          retry.batch().partitions().stream()
              .filter(p -> !numbers.contains(p))
              .map(gates::tp)
              .collect(Collectors.toSet());
      retry.drop();
      gates.regate(rest);
    }
    BatchStore store = held.store();
    Batch inFlight = store.inFlight();
    if (wait && inFlight != null && inFlight.partitions().stream().anyMatch(numbers::contains)) {
      // A stored batch confirmed now saves the next owner a check; one still unrecorded is
      // abandoned, one recorded is replayed identically by the next owner if it does not finish.
      if (!store.await(REVOKE_WAIT)) {
        inFlight.abandon();
      }
    }
    if (wait) {
      store.confirm(REVOKE_WAIT);
    }
  }
}
