package dev.logpipe.devservices;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.devservices.redis.RedisDevService;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisDevServiceIT {

  @Test
  void roundTripsThroughLettuceAndStopsByPid(@TempDir Path dir) {
    RedisDevService redis = new RedisDevService(dir.resolve("redis"));
    long t0 = System.nanoTime();
    redis.start();
    System.out.printf("redis ready in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    RedisClient client = RedisClient.create(redis.endpoint());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redisCommands = connection.sync();
      redisCommands.set("logpipe:it:k", "v");
      redisCommands.hset("logpipe:it:h", Map.of("a", "1", "b", "2"));
      redisCommands.xadd("logpipe:it:s", Map.of("event", "x"));
      assertThat(redisCommands.get("logpipe:it:k")).isEqualTo("v");
      assertThat(redisCommands.hgetall("logpipe:it:h")).containsEntry("b", "2");
      assertThat(redisCommands.xlen("logpipe:it:s")).isEqualTo(1);
    } finally {
      client.shutdown();
    }
    redis.stop();
    assertThat(redis.isRunning()).isFalse();
    assertThat(
            dev.logpipe.devservices.process.Ports.accepts(
                Integer.parseInt(redis.endpoint().replaceAll(".*:", ""))))
        .isFalse();
  }
}
