package dev.logpipe.worker.consume;

/**
 * What the consume loop is doing and the last error it met, written on its thread and read from any
 * (readiness, status, liveness).
 */
final class LoopStatus {
  private volatile ConsumerLoop.State state = ConsumerLoop.State.STARTING;
  private volatile String lastError = "";
  private volatile long lastStoredNanos;

  ConsumerLoop.State state() {
    return state;
  }

  String lastError() {
    return lastError;
  }

  /** When a batch was last stored (System.nanoTime), 0 when none yet. */
  long lastStoredNanos() {
    return lastStoredNanos;
  }

  void state(ConsumerLoop.State state) {
    this.state = state;
  }

  /** Records an error without changing the state (e.g. a topic id not answered yet). */
  void error(String error) {
    this.lastError = error;
  }

  /** Storing or placing partitions failed with {@code error}. */
  void failing(String error) {
    this.lastError = error;
    this.state = ConsumerLoop.State.STORE_FAILING;
  }

  boolean failing() {
    return state == ConsumerLoop.State.STORE_FAILING;
  }

  /** Running, no error pending. */
  void running() {
    this.state = ConsumerLoop.State.RUNNING;
    this.lastError = "";
  }

  void stored() {
    this.lastStoredNanos = System.nanoTime();
  }
}
