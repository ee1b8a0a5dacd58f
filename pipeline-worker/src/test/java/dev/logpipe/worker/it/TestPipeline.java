package dev.logpipe.worker.it;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import dev.logpipe.devservices.DevServices;
import dev.logpipe.worker.config.Credentials;
import dev.logpipe.worker.config.LogTableSchema;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.config.PipelineConfigLoader;
import dev.logpipe.worker.sink.ClickHouseClients;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** One pipeline's topics, table and config against the dev services, for integration tests. */
record TestPipeline(DevServices services, String name, PipelineConfig config) {
  static final int PARTITIONS = 3;

  static TestPipeline create(
      DevServices services, String name, boolean withRedis, Map<String, String> kafkaProps)
      throws Exception {
    return create(services, name, withRedis, kafkaProps, null);
  }

  /** With an input format (null: json). */
  static TestPipeline create(
      DevServices services,
      String name,
      boolean withRedis,
      Map<String, String> kafkaProps,
      PipelineConfig.Format format)
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
                  new NewTopic(topic, PARTITIONS, (short) 1),
                  new NewTopic(topic + ".dlq", 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    try (Client client = clickHouse(services)) {
      for (String sql : LogTableSchema.create("logs_it", name, 3650)) {
        client.execute(sql).get(30, TimeUnit.SECONDS).close();
      }
    }
    return new TestPipeline(services, name, config);
  }

  static Client clickHouse(DevServices services) {
    return ClickHouseClients.create(services.clickHouseUrl(), new Credentials("default", ""), null);
  }

  String topic() {
    return config.kafka().topic();
  }

  /** A single number from ClickHouse, e.g. a count. */
  long scalar(String sql) {
    try (Client client = clickHouse(services)) {
      List<GenericRecord> rows = client.queryAll(sql);
      return rows.get(0).getLong(1);
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
