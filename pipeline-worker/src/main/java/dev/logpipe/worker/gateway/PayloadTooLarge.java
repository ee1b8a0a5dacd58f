package dev.logpipe.worker.gateway;

/** The request body is over the configured limit, or holds too many records: answered with 413. */
public final class PayloadTooLarge extends RuntimeException {
  public PayloadTooLarge(long limit) {
    super("request body exceeds " + limit + " bytes; send smaller batches");
  }

  private PayloadTooLarge(String message) {
    super(message);
  }

  static PayloadTooLarge tooManyRecords(int max) {
    return new PayloadTooLarge(
        "the body holds more than " + max + " records; send at most " + max + " per request");
  }
}
