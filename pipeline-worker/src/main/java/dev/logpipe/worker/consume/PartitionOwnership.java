package dev.logpipe.worker.consume;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which partitions this worker owns, the one place that answers "is this still mine?" (consume loop
 * thread only). Every assignment of a partition, and every time its position must be read again
 * from the ledger, is a fresh {@link Owned}; a batch remembers the {@code Owned} of each partition
 * it was sealed under. So a store outcome that arrives after a revoke, or after the partition was
 * handed back and re-read, sees it no longer speaks for that partition: it commits nothing and
 * retries nothing there, and a revoke drops only what the revoked partitions contributed.
 */
final class PartitionOwnership {
  /**
   * One assignment of one partition: its gate stays closed until its position is resolved under a
   * topic id asked at or after {@code idAskedSinceNanos}.
   */
  static final class Owned {
    final TopicPartition partition;
    final long idAskedSinceNanos;
    boolean open;
    long resolveAfterNanos;

    /** The offset the next record must have (-1: not known yet); lower means the log restarted. */
    long nextOffset = -1;

    private Owned(TopicPartition partition, long idAskedSinceNanos) {
      this.partition = partition;
      this.idAskedSinceNanos = idAskedSinceNanos;
    }
  }

  private final Map<TopicPartition, Owned> owned = new HashMap<>();

  /**
   * Takes {@code partitions} (again): each gets a fresh, closed {@link Owned}, to be resolved under
   * a topic id asked at or after {@code idAskedSinceNanos} ({@link Long#MIN_VALUE}: the known one).
   */
  void gate(Collection<TopicPartition> partitions, long idAskedSinceNanos) {
    partitions.forEach(tp -> owned.put(tp, new Owned(tp, idAskedSinceNanos)));
  }

  /** Gives {@code partitions} up; returns those that were owned. */
  Set<TopicPartition> release(Collection<TopicPartition> partitions) {
    Set<TopicPartition> released = new HashSet<>();
    for (TopicPartition tp : partitions) {
      if (owned.remove(tp) != null) {
        released.add(tp);
      }
    }
    return released;
  }

  Owned of(TopicPartition tp) {
    return owned.get(tp);
  }

  Set<TopicPartition> all() {
    return new HashSet<>(owned.keySet());
  }

  /** Partitions whose position is known and that may be read. */
  Set<TopicPartition> open() {
    Set<TopicPartition> open = new HashSet<>();
    owned.forEach(
        (tp, o) -> {
          if (o.open) {
            open.add(tp);
          }
        });
    return open;
  }

  /** Closed gates whose next resolution attempt is due. */
  List<Owned> gatedDue(long nowNanos) {
    List<Owned> due = new ArrayList<>();
    owned
        .values()
        .forEach(
            o -> {
              if (!o.open && nowNanos >= o.resolveAfterNanos) {
                due.add(o);
              }
            });
    return due;
  }

  boolean anyGated() {
    return owned.values().stream().anyMatch(o -> !o.open);
  }

  /** Partitions of {@code batch} still owned under the assignment it was sealed with. */
  Set<TopicPartition> stillOwned(String topic, Batch batch) {
    Set<TopicPartition> kept = new HashSet<>();
    for (int p : batch.partitions()) {
      TopicPartition tp = new TopicPartition(topic, p);
      Owned now = owned.get(tp);
      if (now != null && now == batch.owner(p)) {
        kept.add(tp);
      }
    }
    return kept;
  }

  /** The offsets of {@code batch} this worker may commit: those of partitions it still owns. */
  Map<TopicPartition, OffsetAndMetadata> committable(String topic, Batch batch) {
    Set<TopicPartition> kept = stillOwned(topic, batch);
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(batch.commitOffsets());
    offsets.keySet().retainAll(kept);
    return offsets;
  }
}
