package dev.logpipe.worker.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logpipe.worker.model.LogEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cached JSON of an event is exactly what serialising the column map gave (gateway reads it).
 */
class RedisLiveViewJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The previous implementation: a map in column order, serialised by Jackson. */
  private static String reference(LogEvent e) throws Exception {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("timestamp", e.timestampMs());
    row.put("service", e.service());
    row.put("level", e.level());
    row.put("message", e.message());
    row.put("host", e.host());
    row.put("trace_id", e.traceId());
    row.put("status_code", e.hasStatusCode() ? e.statusCode() : null);
    row.put("latency_ms", e.hasLatency() ? e.latencyMs() : null);
    row.put("error_code", e.errorCode());
    row.put("attributes", e.attributes());
    row.put("anomaly_score", e.anomalyScore());
    row.put("anomaly_reasons", e.anomalyReasons());
    row.put("_partition", e.partition());
    row.put("_offset", e.offset());
    return JSON.writeValueAsString(row);
  }

  @Test
  void aFullEventIsWrittenLikeItsColumnMap() throws Exception {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("region", "europe-west1");
    attributes.put("quote", "say \"hi\"\n\ttab \\ slash");
    attributes.put("unicode", "Grüße 日本 \uD83D\uDE00 \u0001");
    LogEvent e =
        new LogEvent()
            .timestampMs(1_780_000_000_123L)
            .service("payments")
            .level("ERROR")
            .message("GET /api/v1/orders/1 failed: \"timeout\"")
            .host("node-1")
            .traceId("abc123")
            .statusCode(502)
            .latencyMs(3012.5)
            .errorCode("E42")
            .attributes(attributes)
            .source(3, 9_876_543_210L);
    e.addAnomaly("error-level", 50);
    e.addAnomaly("http-5xx", 40);

    assertThat(RedisLiveView.json(e)).isEqualTo(reference(e));
    assertThat(JSON.readTree(RedisLiveView.json(e)).get("attributes").get("unicode").asText())
        .isEqualTo("Grüße 日本 \uD83D\uDE00 \u0001");
  }

  @Test
  void missingValuesAreNullsLikeTheMapGave() throws Exception {
    LogEvent e = new LogEvent().timestampMs(0).level("INFO").source(0, 0);
    assertThat(RedisLiveView.json(e)).isEqualTo(reference(e));
    LogEvent whole = new LogEvent().timestampMs(5).service("s").latencyMs(7).source(1, 2);
    whole.attributes(Map.of());
    assertThat(RedisLiveView.json(whole)).isEqualTo(reference(whole));
    assertThat(JSON.readTree(RedisLiveView.json(whole)).get("latency_ms").asDouble())
        .isEqualTo(7.0);
    assertThat(List.of(RedisLiveView.json(e))).allMatch(s -> s.startsWith("{\"timestamp\":0,"));
  }
}
