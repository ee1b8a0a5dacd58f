package dev.logpipe.sandbox.generator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Realistic JSON log lines in the quick-start pipeline's shape ({@code ts}, {@code severity},
 * {@code app}, {@code msg}, plus status, latency, error code, host, trace id and a few attributes),
 * and the kinds of broken lines real producers emit. Seeded, so a run can be repeated.
 */
public final class LogLineFactory {
  private static final String[] PATHS = {
    "/api/orders", "/api/cart", "/api/search", "/login", "/api/stock"
  };
  private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT"};
  private static final String[] ERRORS = {
    "DB_TIMEOUT", "UPSTREAM_503", "CARD_DECLINED", "NPE", "RATE_LIMITED"
  };

  private final Random random;
  private final List<String> services;
  private long sequence;

  public LogLineFactory(long seed, List<String> services) {
    this.random = new Random(seed);
    this.services = List.copyOf(services);
  }

  /** A line from a random service; about {@code errorRate} of them are errors (5xx, code). */
  public byte[] normal(Instant ts, double errorRate) {
    String service = services.get(random.nextInt(services.size()));
    double roll = random.nextDouble();
    if (roll < errorRate) {
      return error(ts, service);
    }
    String level = roll < errorRate + 0.05 ? "WARN" : roll < errorRate + 0.15 ? "DEBUG" : "INFO";
    int status = level.equals("WARN") ? 404 : 200;
    int latency = level.equals("WARN") ? 200 + random.nextInt(600) : 5 + random.nextInt(250);
    return line(ts, level, service, status, latency, null, "request handled");
  }

  /** An error line: 5xx, an error code, often slow. */
  public byte[] error(Instant ts, String service) {
    int status = 500 + random.nextInt(4);
    int latency = 800 + random.nextInt(4000);
    return line(
        ts,
        "ERROR",
        service,
        status,
        latency,
        ERRORS[random.nextInt(ERRORS.length)],
        "request failed");
  }

  private byte[] line(
      Instant ts,
      String level,
      String service,
      int status,
      int latency,
      String errorCode,
      String what) {
    long n = sequence++;
    int path = random.nextInt(PATHS.length);
    StringBuilder b = new StringBuilder(300);
    b.append("{\"ts\":\"")
        .append(ts)
        .append("\",\"severity\":\"")
        .append(level)
        .append("\",\"app\":\"")
        .append(service)
        .append("\",\"msg\":\"")
        .append(METHODS[path])
        .append(' ')
        .append(PATHS[path])
        .append(' ')
        .append(what)
        .append("\",\"host\":\"")
        .append(service)
        .append('-')
        .append(n % 3)
        .append("\",\"trace_id\":\"")
        .append(Long.toHexString(random.nextLong()))
        .append("\",\"status\":")
        .append(status)
        .append(",\"latency_ms\":")
        .append(latency);
    if (errorCode != null) {
      b.append(",\"error_code\":\"").append(errorCode).append('"');
    }
    b.append(",\"method\":\"")
        .append(METHODS[path])
        .append("\",\"path\":\"")
        .append(PATHS[path])
        .append("\",\"region\":\"")
        .append(n % 2 == 0 ? "eu-west-1" : "us-east-1")
        .append("\",\"seq\":")
        .append(n)
        .append('}');
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A line no JSON parser accepts, of one of four kinds. */
  public static byte[] malformed(long n) {
    return switch ((int) (n % 4)) {
      case 0 ->
          "{\"ts\": \"2025-01-01T00:00:00Z\", \"msg\": broken".getBytes(StandardCharsets.UTF_8);
      case 1 ->
          new byte[] {'{', '"', 'm', 's', 'g', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
      case 2 -> "[1,2,3]".getBytes(StandardCharsets.UTF_8);
      default -> "plain text, not JSON at all".getBytes(StandardCharsets.UTF_8);
    };
  }
}
