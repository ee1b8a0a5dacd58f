package dev.logpipe.sandbox.api;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.vertx.ServerWebSocketHandler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's Kubernetes API endpoint on loopback (plain HTTP): a Vert.x server in front of
 * {@link SandboxApiDispatcher}. It exists because the mock's own server can only stream watches
 * over WebSocket (what fabric8 clients use), while kubectl watches with a chunked HTTP response:
 * both are served here from the same watch listener. Dev tool only; never deployed.
 */
public final class SandboxApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxApiServer.class);
  private final SandboxApiDispatcher dispatcher;
  private final Vertx vertx;
  private HttpServer server;

  public SandboxApiServer() {
    this(new SandboxApiDispatcher(Clock.systemUTC()));
  }

  public SandboxApiServer(SandboxApiDispatcher dispatcher) {
    this.dispatcher = dispatcher;
    // Dispatcher calls take a lock in the mock and may wait for it: keep them off the event loop.
    this.vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(16));
  }

  /** Starts on {@code 127.0.0.1:port} (0 picks a free port) and returns once it listens. */
  public SandboxApiServer start(int port) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost("127.0.0.1")
            .setPort(port)
            .setMaxWebSocketFrameSize(1 << 24);
    server = vertx.createHttpServer(options).requestHandler(this::handle);
    CompletableFuture<HttpServer> listening = new CompletableFuture<>();
    server.listen().onSuccess(listening::complete).onFailure(listening::completeExceptionally);
    try {
      listening.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the sandbox API server did not start on port " + port, e);
    }
    dispatcher.serverAddress("127.0.0.1:" + port());
    return this;
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public SandboxApiDispatcher dispatcher() {
    return dispatcher;
  }

  private void handle(HttpServerRequest event) {
    if (isWebSocketUpgrade(event)) {
      // Upgrades must be answered before the request is read (Vert.x refuses them afterwards).
      RecordedRequest request = recorded(event, null);
      MockResponse response = dispatcher.dispatch(request);
      if (response.getWebSocketListener() != null) {
        event.toWebSocket().onSuccess(new ServerWebSocketHandler(request, response));
      } else {
        send(event.response(), response);
      }
      return;
    }
    event
        .body()
        .onSuccess(
            body ->
                vertx.executeBlocking(
                    () -> {
                      RecordedRequest request = recorded(event, body);
                      MockResponse response;
                      try {
                        response = dispatcher.dispatch(request);
                      } catch (RuntimeException e) {
                        // Never leave a client hanging: a bug here becomes a 500 it can show.
                        LOG.warn(
                            "event=request_failed method={} path={}",
                            event.method(),
                            event.uri(),
                            e);
                        response =
                            StatusResponses.status(500, "InternalError", "sandbox API: " + e);
                      }
                      if (response.getWebSocketListener() != null) {
                        HttpWatchStream stream =
                            HttpWatchStream.open(vertx, event, request, response);
                        String gone = dispatcher.deletedEventIfAbsent(request);
                        if (gone != null) {
                          stream.send(gone);
                        }
                      } else {
                        send(event.response(), response);
                      }
                      return null;
                    },
                    false));
  }

  private static RecordedRequest recorded(
      HttpServerRequest event, io.vertx.core.buffer.Buffer body) {
    return new RecordedRequest(
        "HTTP/1.1",
        HttpMethod.valueOf(event.method().name()),
        event.uri(),
        Headers.builder().addAll(event.headers()).build(),
        new Buffer(body == null ? new byte[0] : body.getBytes()));
  }

  private static void send(HttpServerResponse out, MockResponse response) {
    out.setStatusCode(response.code());
    response.getHeaders().toMultimap().forEach((key, values) -> out.headers().add(key, values));
    Buffer body = response.getBody();
    if (body != null && body.size() > 0) {
      out.end(io.vertx.core.buffer.Buffer.buffer(body.getBytes()));
    } else {
      out.end();
    }
  }

  private static boolean isWebSocketUpgrade(HttpServerRequest event) {
    String upgrade = event.getHeader("Upgrade");
    return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
  }

  @Override
  public void close() {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    vertx.close().onComplete(r -> closed.complete(null));
    try {
      closed.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort: the JVM is usually about to exit
    }
    dispatcher.shutdown();
  }
}
