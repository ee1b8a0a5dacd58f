package dev.logpipe.worker.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logpipe.worker.api.HealthServer;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP routes (Javalin): ingest, queries, health, metrics, API docs and the log
 * explorer ({@link ExplorerRoutes}).
 */
public final class GatewayServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Javalin app;

  public GatewayServer(
      IngestService ingest,
      QueryService queries,
      QueryCache cache,
      BearerAuth auth,
      long maxBodyBytes,
      Supplier<HealthServer.Check> readiness,
      PrometheusMeterRegistry registry) {
    String openApi = resource("/gateway/openapi.json");
    String docs = resource("/gateway/docs.html");
    String docsPolicy = SecurityHeaders.forInlineHtml(docs);
    ExplorerRoutes explorer = ExplorerRoutes.load();
    app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.http.maxRequestSize = maxBodyBytes;
              config.routes.before(SecurityHeaders::apply);
              config.routes.before(
                  "/v1/*",
                  ctx -> {
                    SecurityHeaders.noStore(ctx);
                    if (!auth.allows(ctx.header("Authorization"))) {
                      throw new Unauthorized();
                    }
                  });
              config.routes.post(
                  "/v1/logs",
                  ctx -> {
                    byte[] body =
                        RequestBodies.read(
                            ctx.req().getInputStream(),
                            ctx.header("Content-Encoding"),
                            maxBodyBytes);
                    ctx.status(202).json(ingest.ingest(body, ctx.header("Content-Type")));
                  });
              config.routes.get(
                  "/v1/logs",
                  ctx -> query(ctx, "logs", QueryService.LOGS_PARAMS, cache, queries::logs));
              config.routes.get(
                  "/v1/stats",
                  ctx -> query(ctx, "stats", QueryService.STATS_PARAMS, cache, queries::stats));
              config.routes.get(
                  "/v1/anomalies",
                  ctx ->
                      query(
                          ctx,
                          "anomalies",
                          QueryService.ANOMALY_PARAMS,
                          cache,
                          queries::anomalies));
              explorer.register(config.routes);
              config.routes.get("/healthz", ctx -> ctx.result("ok\n"));
              config.routes.get(
                  "/readyz",
                  ctx -> {
                    HealthServer.Check check = readiness.get();
                    ctx.status(check.ok() ? 200 : 503).result(check.detail() + "\n");
                  });
              config.routes.get(
                  "/metrics",
                  ctx ->
                      ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                          .result(registry.scrape()));
              config.routes.get(
                  "/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
              config.routes.get(
                  "/docs",
                  ctx ->
                      ctx.header(SecurityHeaders.CONTENT_SECURITY_POLICY, docsPolicy)
                          .contentType("text/html; charset=utf-8")
                          .result(docs));
              config.routes.exception(
                  BadRequest.class,
                  (e, ctx) ->
                      ctx.status(400)
                          .json(Map.of("error", e.getMessage(), "parameter", e.parameter())));
              config.routes.exception(
                  IngestService.InvalidRecords.class, (e, ctx) -> ctx.status(400).json(e.body()));
              config.routes.exception(
                  PayloadTooLarge.class,
                  (e, ctx) -> ctx.status(413).json(Map.of("error", e.getMessage())));
              config.routes.exception(
                  Unauthorized.class,
                  (e, ctx) ->
                      ctx.status(401)
                          .header("WWW-Authenticate", "Bearer")
                          .json(Map.of("error", "missing or wrong bearer token")));
              config.routes.exception(
                  BackendUnavailable.class,
                  (e, ctx) -> {
                    LOG.warn(
                        "event=backend_unavailable path={} error=\"{}\"",
                        ctx.path(),
                        rootMessage(e));
                    ctx.status(503)
                        .header("Retry-After", "5")
                        .json(Map.of("error", e.getMessage()));
                  });
              config.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    LOG.error("event=request_failed path={}", ctx.path(), e);
                    ctx.status(500).json(Map.of("error", "internal error; see the gateway log"));
                  });
            });
  }

  private static void query(
      Context ctx,
      String endpoint,
      java.util.Set<String> allowed,
      QueryCache cache,
      java.util.function.BiFunction<QueryParameters, Instant, Map<String, Object>> run) {
    QueryParameters params = new QueryParameters(QueryParameters.parse(ctx.queryString()), allowed);
    Instant now = Instant.now();
    QueryCache.Result result =
        cache.get(endpoint, params, now, () -> toJson(run.apply(params, now)));
    ctx.header("X-Cache", result.hit() ? "HIT" : "MISS")
        .contentType("application/json")
        .result(result.json());
  }

  public GatewayServer start(String host, int port) {
    app.start(host, port);
    return this;
  }

  public int port() {
    return app.port();
  }

  private static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  private static String resource(String path) {
    try (InputStream in = GatewayServer.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    app.stop();
  }

  /** No or wrong bearer token. */
  static final class Unauthorized extends RuntimeException {
    Unauthorized() {
      super("unauthorized");
    }
  }
}
