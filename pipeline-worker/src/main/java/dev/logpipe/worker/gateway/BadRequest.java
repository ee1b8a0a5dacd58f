package dev.logpipe.worker.gateway;

/** A request the caller must fix; answered with 400 naming {@link #parameter()}. */
public final class BadRequest extends RuntimeException {
  private final String parameter;

  public BadRequest(String parameter, String message) {
    super(message);
    this.parameter = parameter;
  }

  public String parameter() {
    return parameter;
  }
}
