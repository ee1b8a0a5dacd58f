package dev.logpipe.sandbox.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Makes one topic in the local Kafka match a KafkaTopic spec, as Strimzi's topic operator does:
 * create it, raise (never lower) its partition count, set its configs. The local broker is alone,
 * so every topic gets replication factor 1 whatever the spec asks.
 */
final class KafkaTopicSync {
  /** What a sync did: the topic id, or why the topic is not as specified. */
  record Result(String topicId, String problem) {
    boolean ok() {
      return problem == null;
    }
  }

  private final Admin admin;

  KafkaTopicSync(Admin admin) {
    this.admin = admin;
  }

  Result sync(String topic, int partitions, Map<String, Object> config) {
    try {
      Optional<TopicDescription> existing = describe(topic);
      if (existing.isEmpty()) {
        try {
          NewTopic created = new NewTopic(topic, partitions, (short) 1).configs(strings(config));
          admin.createTopics(List.of(created)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
        existing = describe(topic);
      } else {
        int current = existing.get().partitions().size();
        if (partitions < current) {
          return new Result(
              existing.get().topicId().toString(),
              "Decreasing partitions from " + current + " to " + partitions + " is not supported.");
        }
        if (partitions > current) {
          admin
              .createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions)))
              .all()
              .get(30, TimeUnit.SECONDS);
        }
        alterConfigs(topic, config);
      }
      return new Result(existing.map(d -> d.topicId().toString()).orElse(null), null);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new Result(null, "Kafka: " + cause.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(null, "interrupted");
    }
  }

  void delete(String topic) throws InterruptedException {
    try {
      admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
        throw new IllegalStateException("cannot delete topic " + topic + ": " + e.getMessage(), e);
      }
    }
  }

  private Optional<TopicDescription> describe(String topic)
      throws ExecutionException, InterruptedException, TimeoutException {
    try {
      return Optional.of(
          admin.describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private void alterConfigs(String topic, Map<String, Object> config)
      throws ExecutionException, InterruptedException, TimeoutException {
    if (config.isEmpty()) {
      return;
    }
    Collection<AlterConfigOp> ops = new ArrayList<>();
    strings(config)
        .forEach(
            (k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
    admin
        .incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops))
        .all()
        .get(30, TimeUnit.SECONDS);
  }

  private static Map<String, String> strings(Map<String, Object> config) {
    Map<String, String> strings = new java.util.TreeMap<>();
    config.forEach((k, v) -> strings.put(k, String.valueOf(v)));
    return strings;
  }
}
