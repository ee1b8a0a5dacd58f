package dev.logpipe.devservices.clickhouse;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** The request body could not be read or decoded (bad framing, checksum, encoding). */
final class RequestBodyException extends IOException {
  RequestBodyException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Marks every failure reading the body, so the handler can answer it as a request error. */
  static final class Guard extends FilterInputStream {
    Guard(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (RequestBodyException e) {
        throw e;
      } catch (IOException e) {
        throw new RequestBodyException(String.valueOf(e.getMessage()), e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (RequestBodyException e) {
        throw e;
      } catch (IOException e) {
        throw new RequestBodyException(String.valueOf(e.getMessage()), e);
      }
    }
  }
}
