package dev.logpipe.worker.consume;

import dev.logpipe.worker.config.PipelineConfig;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Properties of every producer the worker runs (dead letters, gateway ingest): idempotent, {@code
 * acks=all}, lz4, bounded timeouts so a Kafka outage surfaces as an error. The pipeline's client
 * properties apply too, except the consumer-only ones ({@code group.*}, {@code session.*}); they
 * may tune the defaults but never the delivery guarantee: config validation rejects a weaker {@code
 * acks} or {@code enable.idempotence}, and both are set last here as well.
 */
public final class ReliableProducer {
  private ReliableProducer() {}

  public static Properties properties(
      PipelineConfig config, String clientId, Duration requestTimeout, Duration deliveryTimeout) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(requestTimeout.toMillis()));
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(requestTimeout.toMillis()));
    props.put(
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(deliveryTimeout.toMillis()));
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    if (config.kafka().clientProperties() != null) {
      config
          .kafka()
          .clientProperties()
          .forEach(
              (k, v) -> {
                if (!k.startsWith("group.") && !k.startsWith("session.")) {
                  props.put(k, v);
                }
              });
    }
    // "An accepted record is never lost": not negotiable through client properties.
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return props;
  }
}
