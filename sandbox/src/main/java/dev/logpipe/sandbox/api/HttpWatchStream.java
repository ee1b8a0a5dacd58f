package dev.logpipe.sandbox.api;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A watch served as a chunked HTTP response, one JSON watch event per line, as the real API server
 * answers {@code ?watch=true} without a WebSocket upgrade. It plays the WebSocket the mock's watch
 * listener writes to; when the client goes away the listener is told, so the mock forgets the
 * watch. {@code timeoutSeconds} ends the stream like the real server does.
 */
final class HttpWatchStream implements WebSocket {
  private final RecordedRequest request;
  private final HttpServerResponse out;
  private final AtomicBoolean closed = new AtomicBoolean();

  private HttpWatchStream(RecordedRequest request, HttpServerResponse out) {
    this.request = request;
    this.out = out;
  }

  static HttpWatchStream open(
      Vertx vertx, HttpServerRequest event, RecordedRequest request, MockResponse response) {
    WebSocketListener listener = response.getWebSocketListener();
    HttpServerResponse out = event.response();
    out.setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/json");
    out.write("");
    HttpWatchStream stream = new HttpWatchStream(request, out);
    out.closeHandler(v -> stream.closedByClient(listener));
    ApiPath api = ApiPath.parse(request.getPath());
    String timeout = api == null ? null : api.query().get("timeoutSeconds");
    if (timeout != null && timeout.matches("\\d{1,6}")) {
      vertx.setTimer(
          Math.max(1, Long.parseLong(timeout)) * 1000L,
          id -> {
            stream.close(1000, "timeout");
            stream.closedByClient(listener);
          });
    }
    listener.onOpen(stream, response);
    return stream;
  }

  private void closedByClient(WebSocketListener listener) {
    if (closed.compareAndSet(false, true)) {
      listener.onClosed(this, 1000, "client closed the watch");
    }
  }

  @Override
  public RecordedRequest request() {
    return request;
  }

  @Override
  public boolean send(String text) {
    if (closed.get() || out.closed() || out.ended()) {
      return false;
    }
    out.write(text.endsWith("\n") ? text : text + "\n");
    return true;
  }

  @Override
  public boolean send(byte[] bytes) {
    return send(new String(bytes, StandardCharsets.UTF_8));
  }

  @Override
  public boolean close(int code, String reason) {
    if (!out.ended() && !out.closed()) {
      out.end();
    }
    return true;
  }
}
