package dev.logpipe.worker.consume;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits stored offsets on the consumer's thread. During a cooperative rebalance (inside the
 * callback and until the member has rejoined) Kafka refuses every commit: those offsets are kept
 * and sent with the next commit, for the partitions still owned, instead of logging a failure on
 * every revoke. A commit that fails otherwise is logged once; the ledger, not the committed offset,
 * tells the next owner where to resume.
 */
final class OffsetCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(OffsetCommitter.class);

  private final Consumer<byte[], byte[]> consumer;
  private final Supplier<Set<TopicPartition>> owned;
  private final String pipeline;
  private final Map<TopicPartition, OffsetAndMetadata> deferred = new HashMap<>();

  OffsetCommitter(
      Consumer<byte[], byte[]> consumer, Supplier<Set<TopicPartition>> owned, String pipeline) {
    this.consumer = consumer;
    this.owned = owned;
    this.pipeline = pipeline;
  }

  /** Whether offsets refused during a rebalance wait for the next attempt. */
  boolean hasDeferred() {
    return !deferred.isEmpty();
  }

  /** Commits {@code offsets} together with any deferred ones (an empty map retries those). */
  void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    deferred.putAll(offsets);
    deferred.keySet().retainAll(owned.get());
    if (deferred.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> sending = new HashMap<>(deferred);
    for (int attempt = 1; ; attempt++) {
      try {
        consumer.commitSync(sending, Duration.ofSeconds(30));
        deferred.keySet().removeAll(sending.keySet());
        return;
      } catch (WakeupException e) {
        // stop() woke the consumer while it was not polling: the wake-up is used up, commit again.
        if (attempt > 1) {
          throw e;
        }
      } catch (RebalanceInProgressException e) {
        LOG.debug("event=commit_deferred pipeline={} partitions={}", pipeline, sending.keySet());
        return;
      } catch (KafkaException e) {
        deferred.keySet().removeAll(sending.keySet());
        LOG.warn("event=commit_failed pipeline={} error=\"{}\"", pipeline, e.getMessage());
        return;
      }
    }
  }
}
