package dev.logpipe.sandbox.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Produces lines to a topic with acks=all, as an application's log shipper would. */
public final class KafkaLogSink implements LogSink {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;

  public KafkaLogSink(String bootstrap, String topic) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "sandbox-log-generator");
    this.producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
  }

  @Override
  public void send(List<byte[]> lines) throws Exception {
    List<Future<RecordMetadata>> acks = new ArrayList<>(lines.size());
    for (byte[] line : lines) {
      acks.add(producer.send(new ProducerRecord<>(topic, line)));
    }
    for (Future<RecordMetadata> ack : acks) {
      ack.get();
    }
  }

  @Override
  public boolean acceptsMalformed() {
    return true;
  }

  @Override
  public void close() {
    producer.close();
  }
}
