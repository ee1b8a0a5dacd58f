package dev.logpipe.sandbox.generator;

import java.util.List;

/** Where generated lines go: a Kafka topic or a gateway. */
public interface LogSink extends AutoCloseable {
  /** Sends a batch and returns once it is acknowledged. */
  void send(List<byte[]> lines) throws Exception;

  /** Whether broken lines can be sent (a gateway rejects the whole request). */
  boolean acceptsMalformed();

  @Override
  void close();
}
