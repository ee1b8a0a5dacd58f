package dev.logpipe.worker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.gateway.GatewayCommand;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/logs} into logfmt and text pipelines (records validated by the pipeline's own
 * parser, stored by a worker), and relative time ranges counted against events placed minutes away
 * from each boundary.
 */
@WithDevServices
class GatewayFormatsIT {
  private static final DateTimeFormatter TEXT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS").withZone(ZoneOffset.UTC);

  private static Running logfmt;
  private static Running text;

  @BeforeAll
  static void start(DevServices services) throws Exception {
    logfmt =
        new Running(
            TestPipeline.create(
                services,
                "gwlogfmt",
                false,
                null,
                new PipelineConfig.Format("logfmt", null, null, null)));
    text =
        new Running(
            TestPipeline.create(
                services,
                "gwtext",
                false,
                null,
                new PipelineConfig.Format("text", null, null, "frontend")));
  }

  @AfterAll
  static void stop() throws Exception {
    logfmt.close();
    text.close();
  }

  @Test
  void logfmtLinesAreStoredAndRelativeRangesCountExactly() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    // 100 events 10 minutes ago (a quarter of them errors), 120 warnings 20 minutes ago, 80 infos
    // 50 minutes ago: every relative boundary below is 5 minutes or more from any event.
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      lines.add(
          logfmtLine(
              now.minus(Duration.ofMinutes(10)).plusMillis(i),
              i % 4 == 0 ? "error" : "info",
              "billing",
              "charge " + i + (i % 4 == 0 ? " failed" : " ok")));
    }
    for (int i = 0; i < 120; i++) {
      lines.add(
          logfmtLine(
              now.minus(Duration.ofMinutes(20)).plusMillis(10L * i),
              "warn",
              "ledger",
              "slow write " + i));
    }
    for (int i = 0; i < 80; i++) {
      lines.add(
          logfmtLine(
              now.minus(Duration.ofMinutes(50)).plusMillis(i), "info", "billing", "sync " + i));
    }
    // Plain lines without a Content-Type, then a JSON array of logfmt strings.
    HttpResponse<String> plain =
        logfmt.client.post(bytes(String.join("\n", lines.subList(0, 200)) + "\n"), null, null);
    assertThat(plain.statusCode()).as(plain.body()).isEqualTo(202);
    assertThat(GatewayClient.JSON.readTree(plain.body()).get("accepted").asInt()).isEqualTo(200);
    StringBuilder array = new StringBuilder("[");
    for (String line : lines.subList(200, 300)) {
      array
          .append(array.length() == 1 ? "" : ",")
          .append(GatewayClient.JSON.writeValueAsString(line));
    }
    HttpResponse<String> json =
        logfmt.client.post(bytes(array.append(']').toString()), "application/json", null);
    assertThat(json.statusCode()).as(json.body()).isEqualTo(202);
    assertThat(GatewayClient.JSON.readTree(json.body()).get("accepted").asInt()).isEqualTo(100);
    await().atMost(Duration.ofSeconds(60)).until(() -> logfmt.pipeline.storedRows() >= 300);
    assertThat(logfmt.pipeline.storedRows()).isEqualTo(300);

    GatewayClient c = logfmt.client;
    assertThat(c.countAll("/v1/logs?from=15m")).isEqualTo(100);
    assertThat(c.countAll("/v1/logs?from=15m&to=now&level=error")).isEqualTo(25);
    assertThat(c.countAll("/v1/logs?from=30m&to=15m")).isEqualTo(120);
    assertThat(c.countAll("/v1/logs?from=1h&service=billing")).isEqualTo(180);
    assertThat(c.countAll("/v1/logs?from=2h&to=40m")).isEqualTo(80);
    assertThat(c.countAll("/v1/logs?from=5m")).isZero();
    JsonNode lastHour = c.get("/v1/stats?from=60m&interval=1m");
    assertThat(lastHour.get("total").asInt()).isEqualTo(300);
    assertThat(GatewayClient.countsByServiceAndLevel(lastHour))
        .isEqualTo(
            Map.of(
                "billing/ERROR", 25,
                "billing/INFO", 75 + 80,
                "ledger/WARN", 120));
    assertThat(c.get("/v1/stats?from=25m&to=900s").get("total").asInt()).isEqualTo(120);
    JsonNode event = c.get("/v1/logs?from=15m&level=error&limit=1").get("events").get(0);
    assertThat(event.get("service").asText()).isEqualTo("billing");
    assertThat(event.get("status_code").asInt()).isEqualTo(502);
    assertThat(event.get("message").asText()).endsWith(" failed");
  }

  @Test
  void malformedLogfmtRejectsTheRequestNamingEachIndexAndWritesNothing() throws Exception {
    long endBefore = logfmt.pipeline.topicEnd();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(bytes("level=info msg=fine\n"));
    body.writeBytes(bytes("just some words without pairs\n"));
    body.writeBytes(bytes("level=info msg=\"also fine\"\n"));
    body.writeBytes(new byte[] {'m', 's', 'g', '=', (byte) 0xC3, (byte) 0x28, '\n'});
    HttpResponse<String> r = logfmt.client.post(body.toByteArray(), null, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode error = GatewayClient.JSON.readTree(r.body());
    assertThat(error.get("rejected").asInt()).isEqualTo(2);
    assertThat(error.get("errors").get(0).get("index").asInt()).isEqualTo(1);
    assertThat(error.get("errors").get(0).get("reason").asText()).isEqualTo("invalid_logfmt");
    assertThat(error.get("errors").get(1).get("index").asInt()).isEqualTo(3);
    assertThat(error.get("errors").get(1).get("reason").asText()).isEqualTo("invalid_utf8");
    assertThat(logfmt.pipeline.topicEnd()).isEqualTo(endBefore);
  }

  @Test
  void textLinesAreStoredWithTheirLevelsEvenWhenTheFirstStartsWithABracket() throws Exception {
    Instant fiveMinutesAgo = Instant.now().minus(Duration.ofMinutes(5));
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      body.append("[warn] disk almost full on /var/").append(i).append('\n');
    }
    for (int i = 0; i < 30; i++) {
      body.append(TEXT_TIME.format(fiveMinutesAgo.plusMillis(i)))
          .append(" ERROR payment ")
          .append(i)
          .append(" failed\n");
    }
    for (int i = 0; i < 50; i++) {
      body.append("request ").append(i).append(" served\n");
    }
    HttpResponse<String> r = text.client.post(bytes(body.toString()), null, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(GatewayClient.JSON.readTree(r.body()).get("accepted").asInt()).isEqualTo(120);
    HttpResponse<String> typed =
        text.client.post(bytes("[info] typed as text/plain\n"), "text/plain", null);
    assertThat(typed.statusCode()).as(typed.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(60)).until(() -> text.pipeline.storedRows() >= 121);
    assertThat(text.pipeline.storedRows()).isEqualTo(121);

    JsonNode stats = text.client.get("/v1/stats?from=1h");
    assertThat(GatewayClient.countsByServiceAndLevel(stats))
        .isEqualTo(Map.of("frontend/WARN", 40, "frontend/ERROR", 30, "frontend/INFO", 51));
    assertThat(text.client.countAll("/v1/logs?from=1h&q=disk%20almost")).isEqualTo(40);
    // The ERROR lines carry their own time, five minutes back: outside the last 4 minutes.
    assertThat(text.client.countAll("/v1/logs?from=4m&level=error")).isZero();
    assertThat(text.client.countAll("/v1/logs?from=10m&level=error")).isEqualTo(30);

    long endBefore = text.pipeline.topicEnd();
    byte[] invalid = {'o', 'k', '\n', 'b', 'a', 'd', ' ', (byte) 0xFF, '\n', 'o', 'k', '\n'};
    HttpResponse<String> rejected = text.client.post(invalid, null, null);
    assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(400);
    JsonNode error = GatewayClient.JSON.readTree(rejected.body());
    assertThat(error.get("rejected").asInt()).isEqualTo(1);
    assertThat(error.get("errors").get(0).get("index").asInt()).isEqualTo(1);
    assertThat(error.get("errors").get(0).get("reason").asText()).isEqualTo("invalid_utf8");
    assertThat(text.pipeline.topicEnd()).isEqualTo(endBefore);
  }

  private static String logfmtLine(Instant ts, String level, String service, String msg) {
    return "ts="
        + ts
        + " level="
        + level
        + " service="
        + service
        + " msg=\""
        + msg
        + "\" status="
        + (level.equals("error") ? 502 : 200)
        + " latency_ms=12";
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A pipeline with its worker and its gateway. */
  private static final class Running implements AutoCloseable {
    final TestPipeline pipeline;
    final RunningWorker worker;
    final GatewayCommand gateway;
    final GatewayClient client;

    Running(TestPipeline pipeline) {
      this.pipeline = pipeline;
      this.worker = new RunningWorker(pipeline.config());
      this.gateway = new GatewayCommand(pipeline.config(), GatewayIT.gatewayEnvironment());
      this.client = new GatewayClient(gateway.port(), GatewayIT.TOKEN);
    }

    @Override
    public void close() throws Exception {
      gateway.close();
      worker.close();
    }
  }
}
