package dev.logpipe.devservices.clickhouse;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;

/** The ClickHouse HTTP interface (the part the official clients use) over one chDB engine. */
final class ChdbHttpHandler implements HttpHandler {
  private static final Logger LOG = Logger.getLogger(ChdbHttpHandler.class.getName());
  private static final byte[] OK = "Ok.\n".getBytes(StandardCharsets.US_ASCII);
  private static final int COPY_BYTES = 256 * 1024;

  private final ChdbEngine engine;
  private final ServerIdentity identity;
  private final Set<String> settingNames;
  private final Credentials credentials;

  /** What every response tells the client about the server. */
  record ServerIdentity(String version, String timezone, String displayName) {}

  /** A configured password, or none (any user and password accepted). */
  record Credentials(String user, String password) {
    static Credentials anyone() {
      return new Credentials(null, null);
    }

    boolean accept(String givenUser, String givenPassword) {
      return password == null || (user.equals(givenUser) && password.equals(givenPassword));
    }
  }

  ChdbHttpHandler(
      ChdbEngine engine,
      ServerIdentity identity,
      Set<String> settingNames,
      Credentials credentials) {
    this.engine = engine;
    this.identity = identity;
    this.settingNames = Set.copyOf(settingNames);
    this.credentials = credentials;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/ping")) {
        respondOk(exchange);
      } else if (path.equals(SelfCheck.PATH)) {
        SelfCheck.survivesImplicitNullChecks();
        respondOk(exchange);
      } else if (path.equals("/") || path.isEmpty()) {
        handleQuery(exchange);
      } else {
        respondPlain(exchange, 404, "There is no handle " + path + "\n");
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "client went away", e);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "request failed", e);
    }
  }

  private void handleQuery(HttpExchange exchange) throws IOException {
    Headers in = exchange.getRequestHeaders();
    HttpQueryRequest request =
        HttpQueryRequest.parse(exchange.getRequestURI().getRawQuery(), in::getFirst, settingNames);
    String queryId = request.queryId() == null ? UUID.randomUUID().toString() : request.queryId();
    Headers out = exchange.getResponseHeaders();
    out.set("X-ClickHouse-Server-Display-Name", identity.displayName());
    out.set("X-ClickHouse-Query-Id", queryId);
    out.set("X-ClickHouse-Timezone", identity.timezone());
    out.set("Keep-Alive", "timeout=10");
    if (!credentials.accept(request.user(), request.password())) {
      respondError(
          exchange,
          request,
          new ChdbException(
              "Code: 516. DB::Exception: "
                  + request.user()
                  + ": Authentication failed: password is incorrect, or there is no user with such"
                  + " name. (AUTHENTICATION_FAILED)"));
      return;
    }
    if (!request.ignored().isEmpty()) {
      LOG.fine(() -> "ignoring unknown parameters " + request.ignored().keySet());
    }
    ChdbEngine.Context context =
        new ChdbEngine.Context(request.database(), request.settings(), request.parameters());
    try {
      InputStream body = requestBody(exchange, request);
      Optional<Statements.Insert> insert =
          request.urlQuery() == null
              ? Optional.empty()
              : Statements.insertAwaitingData(request.urlQuery());
      if (insert.isPresent()) {
        try (ChdbResult result =
            engine.insert(context, insert.get().statement(), insert.get().format(), body)) {
          respondResult(exchange, request, result, request.defaultFormat());
        }
        return;
      }
      String statement = statement(request, body);
      if (statement.isBlank()) {
        if (exchange.getRequestMethod().equals("GET")) {
          respondOk(exchange);
        } else {
          respondError(
              exchange,
              request,
              new ChdbException("Code: 62. DB::Exception: Empty query. (SYNTAX_ERROR)"));
        }
        return;
      }
      if (Statements.firstKeyword(statement).equals("SET")) {
        // Without a session, SET lasts for its own request only: nothing to keep on the
        // shared connection.
        respondEmpty(exchange, request);
        return;
      }
      String format = Statements.trailingFormat(statement).orElse(request.defaultFormat());
      try (ChdbResult result = engine.query(context, statement, request.defaultFormat())) {
        respondResult(exchange, request, result, format);
      }
    } catch (ChdbException e) {
      respondError(exchange, request, e);
    } catch (RequestBodyException e) {
      respondError(
          exchange,
          request,
          new ChdbException(
              "Code: 271. DB::Exception: Cannot read the request body: "
                  + e.getMessage()
                  + ". (CANNOT_DECOMPRESS)"));
    }
  }

  private static String statement(HttpQueryRequest request, InputStream body) throws IOException {
    String fromBody = new String(body.readAllBytes(), StandardCharsets.UTF_8);
    if (request.urlQuery() == null) {
      return fromBody;
    }
    return fromBody.isEmpty() ? request.urlQuery() : request.urlQuery() + "\n" + fromBody;
  }

  private static InputStream requestBody(HttpExchange exchange, HttpQueryRequest request)
      throws RequestBodyException {
    InputStream body = exchange.getRequestBody();
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    try {
      if (encoding != null) {
        switch (encoding.strip().toLowerCase(Locale.ROOT)) {
          case "gzip" -> body = new GZIPInputStream(body, 64 * 1024);
          case "deflate" -> body = new InflaterInputStream(body);
          case "lz4" -> body = new LZ4FrameInputStream(body);
          case "", "identity" -> {}
          default ->
              throw new RequestBodyException("unsupported Content-Encoding " + encoding, null);
        }
      }
    } catch (RequestBodyException e) {
      throw e;
    } catch (IOException e) {
      throw new RequestBodyException(String.valueOf(e.getMessage()), e);
    }
    return new RequestBodyException.Guard(
        request.decompress() ? new CompressedBlocks.Reader(body) : body);
  }

  private void respondResult(
      HttpExchange exchange, HttpQueryRequest request, ChdbResult result, String format)
      throws IOException {
    Headers out = exchange.getResponseHeaders();
    out.set("X-ClickHouse-Format", format);
    out.set("Content-Type", contentType(format));
    out.set(
        "X-ClickHouse-Summary",
        String.format(
            "{\"read_rows\":\"%d\",\"read_bytes\":\"%d\",\"written_rows\":\"%d\","
                + "\"written_bytes\":\"%d\",\"total_rows_to_read\":\"%d\",\"result_rows\":\"%d\","
                + "\"result_bytes\":\"%d\",\"elapsed_ns\":\"%d\"}",
            result.readRows(),
            result.readBytes(),
            result.writtenRows(),
            result.writtenBytes(),
            result.readRows(),
            result.resultRows(),
            result.resultBytes(),
            result.elapsedNanos()));
    ByteBuffer data = result.data();
    if (!data.hasRemaining()) {
      exchange.sendResponseHeaders(200, -1);
      return;
    }
    String contentEncoding = contentEncoding(exchange, request);
    if (!request.compress() && contentEncoding == null) {
      exchange.sendResponseHeaders(200, data.remaining());
      copy(data, exchange.getResponseBody());
      return;
    }
    if (contentEncoding != null) {
      out.set("Content-Encoding", contentEncoding);
    }
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream encoded = encode(exchange.getResponseBody(), contentEncoding)) {
      if (request.compress()) {
        CompressedBlocks.Writer blocks = new CompressedBlocks.Writer(encoded);
        blocks.writeBlocks(data);
        blocks.flush();
      } else {
        copy(data, encoded);
      }
    }
  }

  private static void copy(ByteBuffer data, OutputStream out) throws IOException {
    byte[] chunk = new byte[Math.min(COPY_BYTES, data.remaining())];
    while (data.hasRemaining()) {
      int n = Math.min(chunk.length, data.remaining());
      data.get(chunk, 0, n);
      out.write(chunk, 0, n);
    }
  }

  private void respondError(HttpExchange exchange, HttpQueryRequest request, ChdbException error)
      throws IOException {
    String text = error.getMessage();
    if (!text.contains("(version ")) {
      text = text + " (version " + identity.version() + ")";
    }
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    Headers out = exchange.getResponseHeaders();
    out.set("X-ClickHouse-Exception-Code", Integer.toString(error.code()));
    out.set("Content-Type", "text/plain; charset=UTF-8");
    int status = ErrorStatus.of(error);
    if (!request.compress()) {
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      return;
    }
    // clickhouse-server sends the exception through the same compressed stream as data.
    exchange.sendResponseHeaders(status, 0);
    CompressedBlocks.Writer blocks = new CompressedBlocks.Writer(exchange.getResponseBody());
    blocks.write(body, 0, body.length);
    blocks.flush();
  }

  private void respondEmpty(HttpExchange exchange, HttpQueryRequest request) throws IOException {
    exchange
        .getResponseHeaders()
        .set(
            "X-ClickHouse-Summary",
            "{\"read_rows\":\"0\",\"read_bytes\":\"0\",\"written_rows\":\"0\",\"written_bytes\":\"0\","
                + "\"total_rows_to_read\":\"0\",\"result_rows\":\"0\",\"result_bytes\":\"0\",\"elapsed_ns\":\"0\"}");
    exchange.getResponseHeaders().set("X-ClickHouse-Format", request.defaultFormat());
    exchange.sendResponseHeaders(200, -1);
  }

  private static void respondOk(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=UTF-8");
    exchange.sendResponseHeaders(200, OK.length);
    exchange.getResponseBody().write(OK);
  }

  private static void respondPlain(HttpExchange exchange, int status, String text)
      throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  private static String contentEncoding(HttpExchange exchange, HttpQueryRequest request) {
    String accept = exchange.getRequestHeaders().getFirst("Accept-Encoding");
    if (!request.httpCompression() || accept == null) {
      return null;
    }
    for (String candidate : accept.toLowerCase(Locale.ROOT).split(",")) {
      String name = candidate.split(";")[0].strip();
      if (name.equals("gzip") || name.equals("deflate") || name.equals("lz4")) {
        return name;
      }
    }
    return null;
  }

  private static OutputStream encode(OutputStream out, String contentEncoding) throws IOException {
    if (contentEncoding == null) {
      return out;
    }
    return switch (contentEncoding) {
      case "gzip" -> new GZIPOutputStream(out, 64 * 1024);
      case "deflate" -> new DeflaterOutputStream(out);
      case "lz4" -> new LZ4FrameOutputStream(out);
      default -> out;
    };
  }

  static String contentType(String format) {
    String f = format.toLowerCase(Locale.ROOT);
    if (f.startsWith("tabseparated") || f.startsWith("tsv")) {
      return "text/tab-separated-values; charset=UTF-8";
    }
    if (f.startsWith("csv")) {
      return "text/csv; charset=UTF-8; header=" + (f.contains("withnames") ? "present" : "absent");
    }
    if (f.startsWith("json")) {
      return "application/json; charset=UTF-8";
    }
    if (f.equals("xml")) {
      return "application/xml; charset=UTF-8";
    }
    if (f.startsWith("pretty") || f.equals("vertical") || f.equals("markdown")) {
      return "text/plain; charset=UTF-8";
    }
    return "application/octet-stream";
  }
}
