package dev.logpipe.worker.consume;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;

/**
 * Which incarnation of the pipeline's topic the worker reads: its Kafka topic id. A topic that was
 * deleted and recreated has a new id and starts again at offset 0, so every stored position (ledger
 * entries, committed offsets) names the id it belongs to, and positions of another id are never
 * used. The id is asked of the Admin API without blocking the consume loop: again every {@code
 * every}, and at once after {@link #refresh()}.
 */
final class TopicIncarnation implements AutoCloseable {
  private static final String METADATA_PREFIX = "topicId=";

  private final Admin admin;
  private final String topic;
  private final long everyNanos;
  private KafkaFuture<TopicDescription> asking;
  private long askedAtNanos;
  private String known;
  private long knownAskedAtNanos = Long.MIN_VALUE;
  private String lastError = "";

  TopicIncarnation(Admin admin, String topic, Duration every) {
    this.admin = admin;
    this.topic = topic;
    this.everyNanos = every.toNanos();
  }

  /** Commit metadata recording the topic id an offset belongs to. */
  static String metadata(String topicId) {
    return topicId == null ? "" : METADATA_PREFIX + topicId;
  }

  /** The topic id a committed offset was recorded for; null if it predates topic ids. */
  static String topicIdOf(OffsetAndMetadata committed) {
    String m = committed == null ? null : committed.metadata();
    return m != null && m.startsWith(METADATA_PREFIX)
        ? m.substring(METADATA_PREFIX.length())
        : null;
  }

  /** Asks again now: answers to questions asked before this call no longer count as fresh. */
  void refresh() {
    askedAtNanos = Long.MIN_VALUE;
    asking = null;
  }

  /**
   * The topic id from an answer to a question asked at or after {@code sinceNanos}, or null while
   * none has arrived (a question is then under way).
   */
  String idAskedSince(long sinceNanos) {
    poll();
    return knownAskedAtNanos >= sinceNanos ? known : null;
  }

  /** The latest answer (null before the first); asks again when the last answer is old. */
  String poll() {
    long now = System.nanoTime();
    if (asking == null && (askedAtNanos == Long.MIN_VALUE || now - askedAtNanos >= everyNanos)) {
      askedAtNanos = now;
      asking = admin.describeTopics(List.of(topic)).topicNameValues().get(topic);
    }
    if (asking != null && asking.isDone()) {
      try {
        known = asking.get().topicId().toString();
        knownAskedAtNanos = askedAtNanos;
        lastError = "";
      } catch (ExecutionException e) {
        // Deleted and not yet recreated, or Kafka unreachable: keep the last answer, ask again.
        lastError = String.valueOf(e.getCause() == null ? e : e.getCause().getMessage());
        askedAtNanos = System.nanoTime() - everyNanos + 1_000_000_000L; // again in a second
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      asking = null;
    }
    return known;
  }

  /** Why the last question failed ("" when it did not). */
  String lastError() {
    return lastError;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(2));
  }
}
