package dev.logpipe.worker.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the process works), {@code /readyz} (it does its job: assigned and able to
 * store) and {@code /metrics} (Prometheus) for the consume mode.
 */
public final class HealthServer implements AutoCloseable {
  /** What a probe answers: ok, and a one-line reason. */
  public record Check(boolean ok, String detail) {}

  private final HttpServer server;

  public HealthServer(
      String host,
      int port,
      Supplier<Check> liveness,
      Supplier<Check> readiness,
      Supplier<String> metrics) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 32);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
    server.setExecutor(Executors.newFixedThreadPool(2, r -> daemon(r, "health-http")));
    server.createContext("/healthz", ex -> check(ex, liveness.get()));
    server.createContext("/readyz", ex -> check(ex, readiness.get()));
    server.createContext(
        "/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
  }

  public HealthServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void check(HttpExchange exchange, Check check) throws IOException {
    send(exchange, check.ok() ? 200 : 503, "text/plain; charset=utf-8", check.detail() + "\n");
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
