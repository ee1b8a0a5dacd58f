package dev.logpipe.operator.autoscale;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether ClickHouse servers answer their {@code /ping} now (no credentials needed; a stopped or
 * hung server fails within the timeout). StorageReady follows the reconciles (the resync, 60 s by
 * default), and a burst that starts the outage, or early in it, must not add workers that cannot
 * store: the autoscaler asks at every round, for all of its servers at once, before it decides.
 *
 * <p>All pings of a round run concurrently and share one deadline, so hung servers delay a round by
 * at most {@link #TIMEOUT} however many there are; the caller waits for them outside any pipeline's
 * lock. One HTTP client for the process (its selector thread is not per autoscaler).
 */
final class ClickHousePing {
  static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /**
   * Starts a ping of every distinct server among {@code urls} (by {@link #key}); the future gives,
   * per key, true when the server answered 200 within the timeout.
   */
  CompletableFuture<Map<String, Boolean>> pingAll(Collection<String> urls) {
    Map<String, CompletableFuture<Boolean>> pings = new HashMap<>();
    for (String url : urls) {
      String key = key(url);
      if (key != null) {
        pings.computeIfAbsent(key, ClickHousePing::ping);
      }
    }
    return CompletableFuture.allOf(pings.values().toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              Map<String, Boolean> result = new HashMap<>();
              pings.forEach((k, f) -> result.put(k, f.join()));
              return result;
            });
  }

  /** Whether one server answers now (tests; rounds use {@link #pingAll}). */
  boolean test(String url) {
    String key = key(url);
    return key == null || ping(key).join();
  }

  /**
   * The ping address of a ClickHouse URL, which also names the server in a round: scheme, host,
   * port and path prefix (a proxy may serve ClickHouse under a path), without credentials, query or
   * trailing slashes. Null when there is nothing to ping (no URL, or one that does not parse:
   * StorageReady alone decides then).
   */
  static String key(String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    try {
      URI u = URI.create(url.strip());
      String authority = u.getRawAuthority();
      if (u.getScheme() == null || authority == null) {
        return null;
      }
      authority = authority.substring(authority.lastIndexOf('@') + 1);
      String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
      return u.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + authority + path + "/ping";
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static CompletableFuture<Boolean> ping(String pingUrl) {
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create(pingUrl)).timeout(TIMEOUT).build();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(true);
    }
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .thenApply(r -> r.statusCode() == 200)
        .completeOnTimeout(false, TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS)
        .exceptionally(e -> false);
  }
}
