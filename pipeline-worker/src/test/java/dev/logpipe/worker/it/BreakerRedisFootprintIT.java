package dev.logpipe.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.worker.cache.RedisLiveView;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Found by an adversarial review, fixed: the Redis live views kept every event whole. The {@code
 * recent:<service>} lists hold up to {@code recentPerService} (default 500) events per service, for
 * any number of services, in the Redis that every pipeline of a backend shares: one producer of one
 * pipeline could fill it (27.5 MB from these 30 records of 900 KB; 500 MiB for one service at the
 * default) and evict or refuse every other tenant's keys. A live-view entry is now a preview and
 * the services with lists are capped per worker (see {@code RedisLiveView}).
 */
@WithDevServices
class BreakerRedisFootprintIT {
  @Test
  void oneServicesLiveViewStaysSmallWhateverItsMessagesWeigh(DevServices services)
      throws Exception {
    TestPipeline pipeline = TestPipeline.create(services, "brkredis", true, null);
    int events = 30;
    String big = "x".repeat(900_000);
    try (RunningWorker worker = new RunningWorker(pipeline.config());
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    services.kafkaBootstrap(),
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                    "2000000"),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      for (int i = 0; i < events; i++) {
        String json = "{\"service\":\"heavy\",\"msg\":\"" + i + big + "\"}";
        producer
            .send(
                new ProducerRecord<>(
                    pipeline.topic(), i % 3, null, json.getBytes(StandardCharsets.UTF_8)))
            .get();
      }
      await().atMost(Duration.ofSeconds(90)).until(() -> pipeline.storedRows() == events);
      RedisClient client = RedisClient.create(services.redisUrl());
      try (StatefulRedisConnection<String, String> c = client.connect()) {
        RedisCommands<String, String> redis = c.sync();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> redis.llen("logpipe:it:brkredis:recent:heavy") == events);
        long bytes = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
          KeyScanCursor<String> page =
              redis.scan(cursor, ScanArgs.Builder.matches("logpipe:it:brkredis:*").limit(500));
          for (String key : page.getKeys()) {
            Long usage = redis.memoryUsage(key);
            bytes += usage == null ? 0 : usage;
          }
          cursor = page;
        } while (!cursor.isFinished());
        System.out.println("breaker: live views of one pipeline hold " + bytes + " bytes");
        assertThat(bytes).as("bytes in Redis under the pipeline's prefix").isLessThan(1 << 20);

        // Services beyond the cap are counted, not listed: 150 more services, 101 lists in all.
        for (int i = 0; i < 150; i++) {
          String json = "{\"service\":\"svc-" + i + "\",\"msg\":\"m\"}";
          producer
              .send(
                  new ProducerRecord<>(
                      pipeline.topic(), i % 3, null, json.getBytes(StandardCharsets.UTF_8)))
              .get();
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> pipeline.storedRows() == events + 150);
        // Counts are written with the lists: once they add up to every event, all writes are in.
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    redis.keys("logpipe:it:brkredis:counts:*").stream()
                            .flatMap(k -> redis.hvals(k).stream())
                            .mapToLong(Long::parseLong)
                            .sum()
                        == events + 150);
        assertThat(redis.keys("logpipe:it:brkredis:recent:*"))
            .hasSize(RedisLiveView.LISTED_SERVICES);
      } finally {
        client.shutdown();
      }
    }
  }
}
