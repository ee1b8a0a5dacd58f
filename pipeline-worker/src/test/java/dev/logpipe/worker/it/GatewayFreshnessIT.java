package dev.logpipe.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.worker.gateway.GatewayCommand;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A query whose range reaches the present is never answered from a cache older than the freshness
 * goal: events POSTed after the same query was cached show up within two seconds of their 202.
 * (Before, a {@code from=1h} answer was cached for the whole TTL, keyed on the relative range, and
 * 100 acknowledged events stayed invisible to it for a minute.)
 */
@WithDevServices
class GatewayFreshnessIT {
  private static TestPipeline pipeline;
  private static RunningWorker worker;
  private static GatewayCommand gateway;
  private static GatewayClient client;

  @BeforeAll
  static void start(DevServices services) throws Exception {
    pipeline = TestPipeline.create(services, "fresh", true, null);
    worker = new RunningWorker(pipeline.config());
    gateway = new GatewayCommand(pipeline.config(), GatewayIT.gatewayEnvironment());
    client = new GatewayClient(gateway.port(), GatewayIT.TOKEN);
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    worker.close();
  }

  @Test
  void eventsPostedAfterAQueryWasCachedAreVisibleToItWithinTwoSeconds() throws Exception {
    assertThat(pipeline.config().gateway().queryCacheTtlSeconds()).isGreaterThan(2);
    // Warm-up: the worker has joined its group and stored a first batch (a cold first insert is
    // not what this test measures).
    assertThat(client.post(events("warm-up", 1), null, null).statusCode()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.storedRows() == 1);
    for (int round = 1; round <= 3; round++) {
      String service = "fresh-" + round;
      String path = "/v1/logs?service=" + service + "&from=1h&limit=1000";
      // The query is answered (and cached) before the events exist.
      assertThat(client.get(path).get("events")).isEmpty();
      assertThat(client.get(path).get("events")).isEmpty();

      HttpResponse<String> accepted = client.post(events(service, 100), null, null);
      long ackedAt = System.nanoTime();
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      await()
          .atMost(Duration.ofSeconds(2))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> client.get(path).get("events").size() == 100);
      System.out.printf(
          "freshness round %d: 100 events visible %d ms after the 202%n",
          round, (System.nanoTime() - ackedAt) / 1_000_000);
    }
  }

  @Test
  void aSettledPastRangeIsStillServedFromTheCache() throws Exception {
    Instant end = Instant.now().minus(Duration.ofHours(1));
    String path = "/v1/stats?from=" + end.minus(Duration.ofHours(1)) + "&to=" + end;
    assertThat(client.raw(path, GatewayIT.TOKEN).headers().firstValue("X-Cache")).hasValue("MISS");
    Thread.sleep(1_000); // longer than the edge lifetime: a settled range must outlive it
    assertThat(client.raw(path, GatewayIT.TOKEN).headers().firstValue("X-Cache")).hasValue("HIT");
  }

  private static byte[] events(String service, int count) {
    StringBuilder ndjson = new StringBuilder();
    long now = System.currentTimeMillis();
    for (int i = 0; i < count; i++) {
      ndjson
          .append("{\"ts\":")
          .append(now - i)
          .append(",\"service\":\"")
          .append(service)
          .append("\",\"level\":\"INFO\",\"msg\":\"fresh ")
          .append(i)
          .append("\"}\n");
    }
    return ndjson.toString().getBytes(StandardCharsets.UTF_8);
  }
}
