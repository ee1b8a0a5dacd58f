package dev.logpipe.worker.sink;

/** A batch could not be stored; the batch is retried with the same deduplication token. */
public class StoreException extends Exception {
  private final int serverCode;

  public StoreException(String message, int serverCode, Throwable cause) {
    super(message, cause);
    this.serverCode = serverCode;
  }

  /** The ClickHouse error code, or 0 when the server was not reached. */
  public int serverCode() {
    return serverCode;
  }
}
