package dev.logpipe.devservices.clickhouse;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What a ClickHouse HTTP request asks for, read from its URL parameters and headers the way
 * clickhouse-server reads them. Pure: no I/O, so the rules are unit-tested.
 *
 * @param urlQuery the {@code query=} parameter, or null (then the body is the statement)
 * @param settings URL parameters that are real ClickHouse settings, for this query only
 * @param parameters {@code param_<name>} values for {name:Type} placeholders, as sent
 * @param compress respond in ClickHouse's compressed-block framing ({@code compress=1})
 * @param decompress the body is in compressed-block framing ({@code decompress=1})
 * @param httpCompression {@code enable_http_compression=1}: gzip/deflate/lz4 per Accept-Encoding
 */
record HttpQueryRequest(
    String urlQuery,
    String database,
    String defaultFormat,
    Map<String, String> settings,
    Map<String, String> parameters,
    boolean compress,
    boolean decompress,
    boolean httpCompression,
    String queryId,
    String user,
    String password,
    Map<String, String> ignored) {

  static final String DEFAULT_FORMAT = "TabSeparated";

  /**
   * Parameters the HTTP interface itself consumes. Some are also settings in system.settings
   * (enable_http_compression, readonly...) but must not be SET on the shared session: readonly=1
   * would even forbid resetting it.
   */
  static final Set<String> HTTP_ONLY =
      Set.of(
          "query",
          "database",
          "default_format",
          "compress",
          "decompress",
          "query_id",
          "session_id",
          "session_timeout",
          "session_check",
          "wait_end_of_query",
          "user",
          "password",
          "quota_key",
          "buffer_size",
          "client_protocol_version",
          "enable_http_compression",
          "http_zlib_compression_level",
          "http_native_compression_disable_checksumming_on_decompress",
          "add_http_cors_header",
          "send_progress_in_http_headers",
          "http_headers_progress_interval_ms",
          "http_wait_end_of_query",
          "http_response_buffer_size",
          "readonly",
          "role",
          "stacktrace");

  static HttpQueryRequest parse(
      String rawUrlQuery, Function<String, String> header, Set<String> knownSettings) {
    Map<String, String> url = decode(rawUrlQuery);
    Map<String, String> settings = new LinkedHashMap<>();
    Map<String, String> parameters = new LinkedHashMap<>();
    Map<String, String> ignored = new LinkedHashMap<>();
    url.forEach(
        (name, value) -> {
          if (name.startsWith("param_")) {
            parameters.put(name.substring("param_".length()), value);
          } else if (HTTP_ONLY.contains(name)) {
            // read below
          } else if (knownSettings.contains(name)) {
            settings.put(name, value);
          } else {
            ignored.put(name, value);
          }
        });
    String user = firstNonBlank(header.apply("X-ClickHouse-User"), url.get("user"));
    String password = firstNonBlank(header.apply("X-ClickHouse-Key"), url.get("password"));
    String authorization = header.apply("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).strip()),
              StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      user = colon < 0 ? decoded : decoded.substring(0, colon);
      password = colon < 0 ? "" : decoded.substring(colon + 1);
    }
    return new HttpQueryRequest(
        url.get("query"),
        orDefault(
            firstNonBlank(url.get("database"), header.apply("X-ClickHouse-Database")), "default"),
        orDefault(
            firstNonBlank(url.get("default_format"), header.apply("X-ClickHouse-Format")),
            DEFAULT_FORMAT),
        settings,
        parameters,
        isTrue(url.get("compress")),
        isTrue(url.get("decompress")),
        isTrue(url.get("enable_http_compression")),
        url.get("query_id"),
        orDefault(user, "default"),
        orDefault(password, ""),
        ignored);
  }

  static Map<String, String> decode(String rawUrlQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawUrlQuery == null || rawUrlQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawUrlQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(name, value);
    }
    return params;
  }

  private static boolean isTrue(String value) {
    return value != null && (value.equals("1") || value.toLowerCase(Locale.ROOT).equals("true"));
  }

  private static String firstNonBlank(String a, String b) {
    return a != null && !a.isBlank() ? a : (b != null && !b.isBlank() ? b : null);
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }
}
