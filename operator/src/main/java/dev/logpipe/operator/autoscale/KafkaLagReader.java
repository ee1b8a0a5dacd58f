package dev.logpipe.operator.autoscale;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Reads the offsets lag is computed from, for many pipelines of one Kafka cluster at once: one
 * Admin client per bootstrap server, and per call one describeTopics for every topic, one
 * listConsumerGroupOffsets for every group, one listOffsets(latest) for every partition (plus one
 * listOffsets(earliest) for partitions whose group has committed nothing yet, which the workers
 * start from, as they consume from the earliest offset). So the cost per period grows with the
 * number of brokers, not with the number of pipelines.
 */
public final class KafkaLagReader implements AutoCloseable {
  private static final int TIMEOUT_MS = 8_000;

  /** One pipeline's consumer group and topic. */
  public record Target(String group, String topic) {}

  /**
   * @param committed per partition, the group's committed offset, or the earliest offset when the
   *     group committed nothing there yet
   */
  public record Offsets(Map<Integer, Long> end, Map<Integer, Long> committed) {}

  private final Map<String, Admin> admins = new ConcurrentHashMap<>();

  /**
   * Offsets of every target whose topic exists; targets whose topic is missing are left out.
   *
   * @throws KafkaReadException when the cluster does not answer in time
   */
  public Map<Target, Offsets> read(String bootstrap, Collection<Target> targets) {
    Admin admin = admins.computeIfAbsent(bootstrap, KafkaLagReader::create);
    try {
      Set<String> topics = new HashSet<>();
      targets.forEach(t -> topics.add(t.topic()));
      Map<String, List<TopicPartition>> partitions = describe(admin, topics);

      Map<String, ListConsumerGroupOffsetsSpec> groups = new LinkedHashMap<>();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (Target t : targets) {
        List<TopicPartition> tps = partitions.get(t.topic());
        if (tps != null) {
          groups.put(t.group(), new ListConsumerGroupOffsetsSpec().topicPartitions(tps));
          tps.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        }
      }
      if (groups.isEmpty()) {
        return Map.of();
      }
      var committedFuture = admin.listConsumerGroupOffsets(groups).all();
      var endFuture = admin.listOffsets(latest).all();
      Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = get(committedFuture);
      Map<TopicPartition, ListOffsetsResultInfo> end = get(endFuture);

      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      for (Target t : targets) {
        Map<TopicPartition, OffsetAndMetadata> c = committed.getOrDefault(t.group(), Map.of());
        for (TopicPartition tp : partitions.getOrDefault(t.topic(), List.of())) {
          if (c.get(tp) == null) {
            earliest.put(tp, OffsetSpec.earliest());
          }
        }
      }
      Map<TopicPartition, ListOffsetsResultInfo> start =
          earliest.isEmpty() ? Map.of() : get(admin.listOffsets(earliest).all());

      Map<Target, Offsets> out = new HashMap<>();
      for (Target t : targets) {
        List<TopicPartition> tps = partitions.get(t.topic());
        if (tps == null) {
          continue;
        }
        Map<TopicPartition, OffsetAndMetadata> c = committed.getOrDefault(t.group(), Map.of());
        Map<Integer, Long> e = new HashMap<>();
        Map<Integer, Long> k = new HashMap<>();
        for (TopicPartition tp : tps) {
          e.put(tp.partition(), end.get(tp).offset());
          OffsetAndMetadata om = c.get(tp);
          k.put(tp.partition(), om != null ? om.offset() : start.get(tp).offset());
        }
        out.put(t, new Offsets(e, k));
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaReadException(bootstrap, e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      throw new KafkaReadException(bootstrap, e);
    }
  }

  private static Map<String, List<TopicPartition>> describe(Admin admin, Set<String> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, List<TopicPartition>> out = new HashMap<>();
    var futures = admin.describeTopics(topics).topicNameValues();
    for (var entry : futures.entrySet()) {
      try {
        TopicDescription d = entry.getValue().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        out.put(
            d.name(),
            d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())).toList());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
        // Not created yet (Strimzi is slower than the first measurement): no lag to report.
      }
    }
    return out;
  }

  private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future)
      throws InterruptedException, ExecutionException, TimeoutException {
    return future.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  /** Requests the Admin clients have sent so far (their request-total metric), for benchmarks. */
  public long requestsSent() {
    double total = 0;
    for (Admin admin : admins.values()) {
      for (Metric m : admin.metrics().values()) {
        if (m.metricName().name().equals("request-total")
            && m.metricName().group().equals("admin-client-metrics")) {
          total += ((Number) m.metricValue()).doubleValue();
        }
      }
    }
    return (long) total;
  }

  /** Closes the clients of servers no tracked pipeline uses any more. */
  public void retain(Set<String> bootstraps) {
    admins
        .entrySet()
        .removeIf(
            e -> {
              if (bootstraps.contains(e.getKey())) {
                return false;
              }
              e.getValue().close(Duration.ofSeconds(1));
              return true;
            });
  }

  private static Admin create(String bootstrap) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5_000);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "logpipe-operator-lag");
    return Admin.create(props);
  }

  @Override
  public void close() {
    retain(Set.of());
  }

  /** Kafka did not answer; the message names the server and the cause, never a stack trace. */
  public static final class KafkaReadException extends RuntimeException {
    KafkaReadException(String bootstrap, Exception cause) {
      super(
          "cannot read consumer-group offsets from Kafka at "
              + bootstrap
              + ": "
              + dev.logpipe.operator.external.BackendException.shortCause(cause),
          cause);
    }
  }
}
