package dev.logpipe.devservices;

/**
 * A real service started on loopback for tests and the sandbox. Implementations run it as a child
 * process so fault tests can kill it ({@link #kill()}) and start it again ({@link #start()}) on the
 * same port and data directory.
 */
public interface DevService extends AutoCloseable {

  /** Short name used in logs and by the CLI: kafka, clickhouse, redis. */
  String name();

  /** Starts the service and returns once it accepts requests. Idempotent. */
  void start();

  /** Stops gracefully (SIGTERM, then SIGKILL after a grace period), by PID. Idempotent. */
  void stop();

  /** SIGKILL, for crash tests: no flush, no goodbye. */
  void kill();

  boolean isRunning();

  /** How clients reach it: a bootstrap address, an http:// or redis:// URL. */
  String endpoint();

  @Override
  default void close() {
    stop();
  }
}
