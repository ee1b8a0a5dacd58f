package dev.logpipe.worker.gateway;

/** The request body is over the configured limit: answered with 413. */
public final class PayloadTooLarge extends RuntimeException {
  public PayloadTooLarge(long limit) {
    super("request body exceeds " + limit + " bytes; send smaller batches");
  }
}
