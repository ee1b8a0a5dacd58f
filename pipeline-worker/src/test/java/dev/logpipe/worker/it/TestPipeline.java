package dev.logpipe.worker.it;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import dev.logpipe.devservices.DevServices;
import dev.logpipe.worker.DevClickHouse;
import dev.logpipe.worker.config.LogTableSchema;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.config.PipelineConfigLoader;
import dev.logpipe.worker.sink.ClickHouseClients;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One pipeline's topics, table and config against the dev services, for integration tests, and the
 * environment its worker processes get besides the config ({@link #authenticated()}: its own Kafka
 * login).
 */
record TestPipeline(
    DevServices services, String name, PipelineConfig config, Map<String, String> workerEnv) {
  static final int PARTITIONS = 3;

  static TestPipeline create(
      DevServices services, String name, boolean withRedis, Map<String, String> kafkaProps)
      throws Exception {
    return create(services, name, withRedis, kafkaProps, null, PARTITIONS);
  }

  /** With an input format (null: json). */
  static TestPipeline create(
      DevServices services,
      String name,
      boolean withRedis,
      Map<String, String> kafkaProps,
      PipelineConfig.Format format)
      throws Exception {
    return create(services, name, withRedis, kafkaProps, format, PARTITIONS);
  }

  static TestPipeline create(
      DevServices services,
      String name,
      boolean withRedis,
      Map<String, String> kafkaProps,
      int partitions)
      throws Exception {
    return create(services, name, withRedis, kafkaProps, null, partitions);
  }

  static TestPipeline create(
      DevServices services,
      String name,
      boolean withRedis,
      Map<String, String> kafkaProps,
      PipelineConfig.Format format,
      int partitions)
      throws Exception {
    String topic = "logpipe.it." + name;
    PipelineConfig raw =
        new PipelineConfig(
            new PipelineConfig.Pipeline("it", name),
            new PipelineConfig.Kafka(
                services.kafkaBootstrap(), topic, "logpipe.it." + name, topic + ".dlq", kafkaProps),
            new PipelineConfig.ClickHouse(services.clickHouseUrl(), "logs_it", name),
            withRedis
                ? new PipelineConfig.Redis(
                    services.redisUrl(), "logpipe:it:" + name + ":", 50, 1000, 3600)
                : null,
            format,
            null,
            new PipelineConfig.Batch(20_000, 16L * 1024 * 1024, 300));
    PipelineConfig config = PipelineConfigLoader.withDefaults(raw);
    if (!config.validate().isEmpty()) {
      throw new IllegalStateException(config.validate().toString());
    }
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", services.kafkaBootstrap()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, partitions, (short) 1),
                  new NewTopic(topic + ".dlq", 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    try (Client client = clickHouse(services)) {
      for (String sql : LogTableSchema.create("logs_it", name, 3650)) {
        client.execute(sql).get(30, TimeUnit.SECONDS).close();
      }
    }
    return new TestPipeline(services, name, config, Map.of());
  }

  /**
   * The same pipeline read by its workers as their own SCRAM user on the SASL listener, with only
   * the worker KafkaUser's ACLs ({@link WorkerKafkaUser}), as with the backend's Kafka
   * authentication on; {@link #workerEnv()} carries the login.
   */
  TestPipeline authenticated() throws Exception {
    WorkerKafkaUser user = WorkerKafkaUser.create(services, config.kafka());
    return with(
        WorkerKafkaUser.onScramListener(services, config.kafka()), config.batch(), user.env());
  }

  static Client clickHouse(DevServices services) {
    return ClickHouseClients.create(
        services.clickHouseUrl(), DevClickHouse.credentials(services), null);
  }

  String topic() {
    return config.kafka().topic();
  }

  /** The same pipeline with other batch limits. */
  TestPipeline withBatch(PipelineConfig.Batch batch) {
    return with(config.kafka(), batch, workerEnv);
  }

  private TestPipeline with(
      PipelineConfig.Kafka kafka, PipelineConfig.Batch batch, Map<String, String> env) {
    PipelineConfig c = config;
    return new TestPipeline(
        services,
        name,
        new PipelineConfig(
            c.pipeline(),
            kafka,
            c.clickhouse(),
            c.redis(),
            c.format(),
            c.anomalies(),
            batch,
            c.gateway()),
        env);
  }

  /** End offset of every partition of the topic. */
  Map<Integer, Long> endOffsets() throws Exception {
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin
          .describeTopics(List.of(topic()))
          .allTopicNames()
          .get(30, TimeUnit.SECONDS)
          .get(topic())
          .partitions()
          .forEach(
              p -> latest.put(new TopicPartition(topic(), p.partition()), OffsetSpec.latest()));
      Map<Integer, Long> ends = new TreeMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
      return ends;
    }
  }

  /** The consumer group's committed offset per partition (partitions never committed absent). */
  Map<Integer, Long> committedOffsets() throws Exception {
    try (Admin admin = admin()) {
      Map<Integer, Long> committed = new TreeMap<>();
      admin
          .listConsumerGroupOffsets(config.kafka().groupId())
          .partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS)
          .forEach(
              (tp, om) -> {
                if (om != null) {
                  committed.put(tp.partition(), om.offset());
                }
              });
      return committed;
    }
  }

  /** Every partition that holds records has its committed offset at its end. */
  boolean everythingCommitted() throws Exception {
    Map<Integer, Long> committed = committedOffsets();
    for (Map.Entry<Integer, Long> end : endOffsets().entrySet()) {
      if (end.getValue() > 0 && !end.getValue().equals(committed.get(end.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** Stored rows per partition, and one past the highest stored offset per partition. */
  Map<Integer, long[]> storedPerPartition() {
    try (Client client = clickHouse(services)) {
      Map<Integer, long[]> stored = new TreeMap<>();
      for (GenericRecord row :
          client.queryAll(
              "SELECT _partition, count(), max(_offset) + 1 FROM logs_it.`"
                  + name
                  + "` GROUP BY _partition")) {
        stored.put((int) row.getLong(1), new long[] {row.getLong(2), row.getLong(3)});
      }
      return stored;
    }
  }

  /** The sum of the topic's partition end offsets: how many records Kafka accepted. */
  long topicEnd() {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", services.kafkaBootstrap()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", services.kafkaBootstrap()));
  }

  /** A single number from ClickHouse, e.g. a count. */
  long scalar(String sql) {
    try (Client client = clickHouse(services)) {
      List<GenericRecord> rows = client.queryAll(sql);
      return rows.get(0).getLong(1);
    }
  }

  long storedRows() {
    return scalar("SELECT count() FROM logs_it.`" + name + "`");
  }

  /** Rows whose (partition, offset) appears more than once: must stay 0. */
  long duplicatePositions() {
    return scalar(
        "SELECT count() FROM (SELECT _partition, _offset FROM logs_it.`"
            + name
            + "` GROUP BY _partition, _offset HAVING count() > 1)");
  }
}
