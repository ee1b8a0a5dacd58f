package dev.logpipe.operator.autoscale;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Whether a ClickHouse server answers its {@code /ping} now (no credentials needed; a stopped or
 * hung server fails within the timeout). The autoscaler asks only before a scale-up, once per
 * server and round: StorageReady follows the reconciles (the resync, 60 s by default), and a burst
 * that starts the outage, or early in it, must not add workers that cannot store.
 */
final class ClickHousePing implements Predicate<String> {
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  @Override
  public boolean test(String url) {
    if (url == null || url.isBlank()) {
      return true; // no ClickHouse URL known: StorageReady alone decides
    }
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/ping"))
              .timeout(TIMEOUT)
              .build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
