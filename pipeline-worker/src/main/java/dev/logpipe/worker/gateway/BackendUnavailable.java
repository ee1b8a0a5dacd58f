package dev.logpipe.worker.gateway;

/** A backend (ClickHouse, Kafka) could not serve the request: answered with 503, never a hang. */
public final class BackendUnavailable extends RuntimeException {
  public BackendUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
