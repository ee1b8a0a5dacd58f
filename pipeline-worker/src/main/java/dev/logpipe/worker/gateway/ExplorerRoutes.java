package dev.logpipe.worker.gateway;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Serves the log explorer (built from {@code pipeline-worker/ui} into {@code gateway/ui/}) at
 * {@code /}. The page and its assets hold no secret and stay open; every data call it makes goes to
 * {@code /v1} with the bearer token the user pasted, which the page keeps in the tab's
 * sessionStorage. A strict Content-Security-Policy allows only the gateway's own scripts, styles
 * and API: no inline script, no other origin, no framing.
 */
final class ExplorerRoutes {
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private record Asset(String contentType, byte[] body) {}

  private final Map<String, Asset> assets;

  private ExplorerRoutes(Map<String, Asset> assets) {
    this.assets = assets;
  }

  /** Reads the bundle from the jar; a jar built without it cannot serve the explorer. */
  static ExplorerRoutes load() {
    return new ExplorerRoutes(
        Map.of(
            "index.html", asset("index.html", "text/html; charset=utf-8"),
            "app.js", asset("app.js", "text/javascript; charset=utf-8"),
            "app.css", asset("app.css", "text/css; charset=utf-8")));
  }

  void register(RoutesConfig routes) {
    routes.get("/", ctx -> serve(ctx, "index.html"));
    routes.get("/ui/{file}", ctx -> serve(ctx, ctx.pathParam("file")));
  }

  private void serve(Context ctx, String name) {
    Asset asset = assets.get(name);
    // The other security headers are on every response already (SecurityHeaders).
    ctx.header(SecurityHeaders.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY)
        // Small files on the same port: revalidating each load keeps a new build visible at once.
        .header("Cache-Control", "no-cache");
    if (asset == null) {
      ctx.status(404).contentType("text/plain; charset=utf-8").result("not found\n");
      return;
    }
    ctx.contentType(asset.contentType()).result(asset.body());
  }

  private static Asset asset(String name, String contentType) {
    String path = "/gateway/ui/" + name;
    try (InputStream in = ExplorerRoutes.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(
            path + " missing from the jar: the build bundles it from pipeline-worker/ui (npm)");
      }
      return new Asset(contentType, in.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
