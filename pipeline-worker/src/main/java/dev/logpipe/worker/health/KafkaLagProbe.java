package dev.logpipe.worker.health;

import dev.logpipe.worker.metrics.WorkerMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures this worker's lag from the broker, independently of the consume loop, so it stays true
 * while the loop's partitions are paused (ClickHouse down) or the loop is stuck: per owned
 * partition, records = broker end offset − stored position (the group's committed offset, which the
 * loop commits only after a store; the log start when nothing is committed), seconds = age of the
 * oldest unstored record (its Kafka timestamp). Each measurement is also the Kafka health probe:
 * when the broker cannot be reached or does not answer within the timeout, the status says why.
 */
public final class KafkaLagProbe implements AutoCloseable {
  private final Admin admin;
  private final OldestRecords oldest;
  private final String groupId;
  private final String bootstrapServers;
  private final Supplier<Set<TopicPartition>> owned;
  private final WorkerMetrics metrics;
  private final Duration timeout;
  private volatile BackendStatus status = BackendStatus.UNKNOWN;

  /**
   * @param clientProperties bootstrap servers and security settings for an admin client and a
   *     group-less consumer
   * @param owned the partitions the consume loop owns now (thread-safe)
   */
  public KafkaLagProbe(
      Properties clientProperties,
      String groupId,
      Supplier<Set<TopicPartition>> owned,
      WorkerMetrics metrics,
      Duration timeout) {
    this.admin = Admin.create(clientProperties);
    this.oldest = new OldestRecords(clientProperties);
    this.groupId = groupId;
    this.bootstrapServers = clientProperties.getProperty("bootstrap.servers", "");
    this.owned = owned;
    this.metrics = metrics;
    this.timeout = timeout;
  }

  /** One measurement; publishes the lag and records and returns Kafka's status. */
  public BackendStatus probe() {
    long started = System.nanoTime();
    BackendStatus found;
    try {
      measure(Set.copyOf(owned.get()));
      found = BackendStatus.up(started);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      found = BackendStatus.down(diagnose(e), started);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return status;
    }
    status = found;
    return found;
  }

  public BackendStatus status() {
    return status;
  }

  private void measure(Set<TopicPartition> partitions)
      throws ExecutionException, InterruptedException, TimeoutException {
    int ms = (int) timeout.toMillis();
    if (partitions.isEmpty()) {
      // Nothing owned: still find out whether the broker answers.
      admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).nodes().get(ms, MS);
      metrics.lag(Map.of());
      return;
    }
    Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest());
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(
                Map.of(groupId, new ListConsumerGroupOffsetsSpec().topicPartitions(partitions)),
                new ListConsumerGroupOffsetsOptions().timeoutMs(ms))
            .partitionsToOffsetAndMetadata(groupId)
            .get(ms, MS);
    Map<TopicPartition, Long> stored = new HashMap<>();
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata c = committed.get(tp);
      if (c != null) {
        stored.put(tp, c.offset());
      }
    }
    Set<TopicPartition> neverCommitted = new java.util.HashSet<>(partitions);
    neverCommitted.removeAll(stored.keySet());
    if (!neverCommitted.isEmpty()) {
      stored.putAll(offsets(neverCommitted, OffsetSpec.earliest()));
    }
    Map<TopicPartition, Long> behind = new HashMap<>();
    for (TopicPartition tp : partitions) {
      long records = Math.max(0, ends.getOrDefault(tp, 0L) - stored.getOrDefault(tp, 0L));
      if (records > 0) {
        behind.put(tp, stored.get(tp));
      }
    }
    // At most a second: a gap at the committed offset (e.g. a control record) must not hold up
    // the health probe that this measurement also is.
    Map<TopicPartition, Long> timestamps =
        oldest.timestamps(behind, timeout.compareTo(ONE_SECOND) < 0 ? timeout : ONE_SECOND);
    long now = System.currentTimeMillis();
    Map<Integer, WorkerMetrics.PartitionLag> lag = new TreeMap<>();
    for (TopicPartition tp : partitions) {
      long records = behind.containsKey(tp) ? ends.get(tp) - stored.get(tp) : 0;
      Long ts = timestamps.get(tp);
      double seconds = ts == null ? 0 : Math.max(0, now - ts) / 1000.0;
      lag.put(tp.partition(), new WorkerMetrics.PartitionLag(records, seconds));
    }
    metrics.lag(lag);
  }

  private Map<TopicPartition, Long> offsets(Set<TopicPartition> partitions, OffsetSpec spec)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, spec));
    int ms = (int) timeout.toMillis();
    Map<TopicPartition, Long> offsets = new HashMap<>();
    admin
        .listOffsets(request, new ListOffsetsOptions().timeoutMs(ms))
        .all()
        .get(ms, MS)
        .forEach((tp, info) -> offsets.put(tp, info.offset()));
    return offsets;
  }

  /**
   * Kafka's own error after a timeout says only "Timed out waiting for a node assignment": a TCP
   * connect to the bootstrap servers tells a stopped broker (refused) from a hung one.
   */
  private String diagnose(Exception e) {
    for (String server : bootstrapServers.split(",")) {
      String s = server.strip();
      int colon = s.lastIndexOf(':');
      if (colon <= 0) {
        continue;
      }
      String host = s.substring(0, colon).replace("[", "").replace("]", "");
      try (Socket socket = new Socket()) {
        socket.connect(
            new InetSocketAddress(host, Integer.parseInt(s.substring(colon + 1))), 1_000);
      } catch (IOException | NumberFormatException refused) {
        return "Kafka unreachable: " + RootCause.of(refused) + " (" + s + ")";
      }
    }
    return "Kafka did not answer within " + timeout.toMillis() + " ms: " + RootCause.of(e);
  }

  private static final TimeUnit MS = TimeUnit.MILLISECONDS;
  private static final Duration ONE_SECOND = Duration.ofSeconds(1);

  @Override
  public void close() {
    oldest.close();
    admin.close(Duration.ofSeconds(2));
  }
}
