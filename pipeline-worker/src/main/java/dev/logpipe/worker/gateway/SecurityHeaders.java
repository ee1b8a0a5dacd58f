package dev.logpipe.worker.gateway;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headers on every gateway response, set before routing so that 404s, 401s, 400s and 500s carry
 * them too: the gateway's origin holds the explorer's token (sessionStorage), so no answer from it
 * may run script, be framed or be sniffed into HTML. API answers get a policy that allows nothing;
 * the explorer's files and the docs page replace it with their own ({@link ExplorerRoutes}, {@link
 * #forInlineHtml}). Authenticated answers hold tenant data and are never stored by a cache.
 */
final class SecurityHeaders {
  static final String CONTENT_SECURITY_POLICY = "Content-Security-Policy";

  /** For JSON and text answers: nothing may load, run or frame them. */
  static final String API_POLICY =
      "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final Pattern SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);
  private static final Pattern STYLE = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL);

  private SecurityHeaders() {}

  static void apply(Context ctx) {
    ctx.header(CONTENT_SECURITY_POLICY, API_POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .header("X-Frame-Options", "DENY");
  }

  /** For answers behind the bearer token: no browser or proxy may keep a copy. */
  static void noStore(Context ctx) {
    ctx.header("Cache-Control", "no-store");
  }

  /**
   * A policy for a static page of our own with inline {@code <script>} and {@code <style>} blocks
   * (the API docs page): exactly those blocks, by hash, and fetches to this origin; nothing else.
   */
  static String forInlineHtml(String html) {
    return "default-src 'none'; script-src "
        + hashes(SCRIPT, html)
        + "; style-src "
        + hashes(STYLE, html)
        + "; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  }

  private static String hashes(Pattern block, String html) {
    StringBuilder out = new StringBuilder();
    Matcher m = block.matcher(html);
    while (m.find()) {
      out.append(out.isEmpty() ? "" : " ")
          .append("'sha256-")
          .append(sha256(m.group(1)))
          .append("'");
    }
    return out.isEmpty() ? "'none'" : out.toString();
  }

  private static String sha256(String text) {
    try {
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
