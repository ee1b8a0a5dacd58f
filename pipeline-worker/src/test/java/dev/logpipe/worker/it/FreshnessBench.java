package dev.logpipe.worker.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logpipe.devservices.DevServices;
import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.gateway.GatewayCommand;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Freshness: how long after {@code POST /v1/logs} answered 202 an event is visible to a query that
 * a user (or the explorer's live tail) keeps repeating, {@code GET
 * /v1/logs?service=probe&from=15m}, while other clients post a steady background load. The worker
 * runs with the production batch delay (1 s). Prints p50/p99/max.
 *
 * <pre>bin/bench pipeline-worker dev.logpipe.worker.it.FreshnessBench [events/s] [seconds]</pre>
 */
public final class FreshnessBench {
  private FreshnessBench() {}

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    Path dir =
        Files.createDirectories(
            Path.of("target", "freshness-bench-" + ProcessHandle.current().pid()).toAbsolutePath());
    try (DevServices services =
        DevServices.start(
            dir,
            EnumSet.of(
                DevServices.Kind.KAFKA, DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS))) {
      TestPipeline pipeline =
          TestPipeline.create(services, "freshbench", true, null)
              .withBatch(new PipelineConfig.Batch(50_000, 64L * 1024 * 1024, 1_000));
      try (RunningWorker worker = new RunningWorker(pipeline.config());
          GatewayCommand gateway =
              new GatewayCommand(pipeline.config(), GatewayIT.gatewayEnvironment())) {
        GatewayClient client = new GatewayClient(gateway.port(), GatewayIT.TOKEN);
        AtomicLong posted = new AtomicLong();
        // Four posters, each pacing itself to a quarter of the rate in batches of rate/40.
        java.util.concurrent.ExecutorService load = Executors.newFixedThreadPool(4);
        int perBatch = Math.max(1, rate / 40);
        for (int t = 0; t < 4; t++) {
          load.submit(
              () -> {
                long begun = System.nanoTime();
                long sent = 0;
                while (!Thread.currentThread().isInterrupted()) {
                  try {
                    long due = (long) (sent * 4e9 / rate); // when this batch is due, in ns
                    long wait = due - (System.nanoTime() - begun);
                    if (wait > 0) {
                      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    if (client.post(lines("load", perBatch, "x"), null, null).statusCode() == 202) {
                      posted.addAndGet(perBatch);
                    }
                    sent += perBatch;
                  } catch (InterruptedException e) {
                    return;
                  } catch (Exception e) {
                    System.err.println("load post failed: " + e);
                  }
                }
              });
        }
        // Warm-up: the worker has joined its group and stored a first batch.
        probe(client, 30_000);
        List<Double> visible = new ArrayList<>();
        long start = System.nanoTime();
        long postedAtStart = posted.get();
        while (System.nanoTime() - start < seconds * 1_000_000_000L) {
          visible.add(probe(client, 30_000));
          Thread.sleep(200);
        }
        double achieved = (posted.get() - postedAtStart) / ((System.nanoTime() - start) / 1e9);
        load.shutdownNow();
        load.awaitTermination(10, TimeUnit.SECONDS);
        Collections.sort(visible);
        System.out.printf(
            "freshness under %.0f events/s (asked %d): POST 202 → visible in GET /v1/logs,"
                + " %d probes: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
            achieved,
            rate,
            visible.size(),
            visible.get(visible.size() / 2),
            visible.get((int) Math.ceil(visible.size() * 0.99) - 1),
            visible.get(visible.size() - 1));
      }
    }
  }

  /** POSTs one probe event, then repeats the same query until it is the newest; ms after 202. */
  private static double probe(GatewayClient client, long timeoutMs) throws Exception {
    String id = UUID.randomUUID().toString();
    HttpResponse<String> r = client.post(lines("probe", 1, id), null, null);
    long acked = System.nanoTime();
    if (r.statusCode() != 202) {
      throw new IllegalStateException("probe POST → " + r.statusCode() + " " + r.body());
    }
    while (System.nanoTime() - acked < timeoutMs * 1_000_000L) {
      JsonNode events = client.get("/v1/logs?service=probe&from=15m&limit=1").get("events");
      if (events.size() == 1 && events.get(0).get("message").asText().equals(id)) {
        return (System.nanoTime() - acked) / 1e6;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("probe " + id + " not visible within " + timeoutMs + " ms");
  }

  private static byte[] lines(String service, int count, String message) {
    StringBuilder ndjson = new StringBuilder();
    long now = System.currentTimeMillis();
    for (int i = 0; i < count; i++) {
      ndjson
          .append("{\"ts\":")
          .append(now)
          .append(",\"service\":\"")
          .append(service)
          .append("\",\"level\":\"INFO\",\"msg\":\"")
          .append(message)
          .append("\"}\n");
    }
    return ndjson.toString().getBytes(StandardCharsets.UTF_8);
  }
}
