package dev.logpipe.worker.parse;

import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.config.PipelineConfigLoader;
import dev.logpipe.worker.detect.AnomalyScorer;
import dev.logpipe.worker.model.LogEvent;
import dev.logpipe.worker.sink.RowBinaryEncoder;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Microbenchmark (a program, not a test): parse + anomaly scoring + RowBinary encoding of ~250-byte
 * JSON lines on one thread, printing ns/event per round and the median. Run after test-compile:
 *
 * <pre>
 * java -cp pipeline-worker/target/test-classes:pipeline-worker/target/classes:$(deps) \
 *     dev.logpipe.worker.parse.ParseBench [events-per-round] [rounds]
 * </pre>
 */
public final class ParseBench {

  private static final String[] SERVICES = {"checkout", "payments", "search", "auth", "cart"};
  private static final String[] LEVELS = {"info", "info", "info", "debug", "warn", "error"};

  public static void main(String[] args) {
    int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    byte[][] lines = lines(10_000);
    LogParser parser = LogParser.forFormat(new PipelineConfig.Format("json", null, null, null));
    AnomalyScorer scorer =
        AnomalyScorer.fromConfig(
            new PipelineConfig.Anomalies(true, List.of(), PipelineConfigLoader.DEFAULT_BURST));
    RowBinaryEncoder encoder = new RowBinaryEncoder(64 << 20);
    double avgBytes = Arrays.stream(lines).mapToInt(l -> l.length).average().orElse(0);
    System.out.printf("lines: %d distinct, %.0f bytes on average%n", lines.length, avgBytes);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    double[] ns = new double[rounds];
    double[] cpu = new double[rounds];
    double[] processCpu = new double[rounds];
    long offset = 0;
    long sink = 0;
    for (int r = 0; r < rounds; r++) {
      encoder.reset();
      long allocBefore = threads.getThreadAllocatedBytes(tid);
      long cpuBefore = threads.getCurrentThreadCpuTime();
      long processBefore = os.getProcessCpuTime();
      long start = System.nanoTime();
      for (int i = 0; i < perRound; i++) {
        ParseResult result = parser.parse(lines[i % lines.length], 1_743_156_000_000L);
        LogEvent e = result.event();
        e.source(0, offset++).ingestedAtMs(1_743_156_000_000L);
        scorer.score(e);
        encoder.encode(e);
        if (encoder.size() > 48 << 20) {
          sink += encoder.size();
          encoder.reset();
        }
      }
      long elapsed = System.nanoTime() - start;
      cpu[r] = (double) (threads.getCurrentThreadCpuTime() - cpuBefore) / perRound;
      processCpu[r] = (double) (os.getProcessCpuTime() - processBefore) / perRound;
      long alloc = threads.getThreadAllocatedBytes(tid) - allocBefore;
      sink += encoder.size();
      ns[r] = (double) elapsed / perRound;
      System.out.printf(
          "round %2d: %6.0f ns/event wall, %6.0f thread CPU, %6.0f process CPU (GC, JIT),"
              + " %5.0f bytes allocated/event%n",
          r, ns[r], cpu[r], processCpu[r], (double) alloc / perRound);
    }
    System.out.printf(
        "median after warm-up (parse + rules + burst + RowBinary encode): %.0f ns/event wall,"
            + " %.0f ns thread CPU, %.0f ns process CPU%n",
        median(ns), median(cpu), median(processCpu));
    if (sink == 42) {
      System.out.println(); // keeps the work observable to the JIT
    }
  }

  /** Median of the rounds after the first three (JIT warm-up). */
  private static double median(double[] rounds) {
    double[] measured = Arrays.copyOfRange(rounds, Math.min(3, rounds.length - 1), rounds.length);
    Arrays.sort(measured);
    return measured[measured.length / 2];
  }

  static byte[][] lines(int n) {
    Random random = new Random(42);
    byte[][] out = new byte[n][];
    long ts = Instant.parse("2025-03-28T10:00:00Z").toEpochMilli();
    for (int i = 0; i < n; i++) {
      String level = LEVELS[random.nextInt(LEVELS.length)];
      int status = level.equals("error") ? 503 : random.nextInt(20) == 0 ? 404 : 200;
      String line =
          "{\"ts\":\""
              + Instant.ofEpochMilli(ts + i * 37L)
              + "\",\"level\":\""
              + level
              + "\",\"service\":\""
              + SERVICES[random.nextInt(SERVICES.length)]
              + "\",\"msg\":\"GET /api/v1/orders/"
              + random.nextInt(100_000)
              + " completed for customer\",\"host\":\"node-"
              + random.nextInt(12)
              + "\",\"trace_id\":\""
              + Long.toHexString(random.nextLong())
              + Long.toHexString(random.nextLong())
              + "\",\"status\":"
              + status
              + ",\"latency_ms\":"
              + (random.nextInt(40_000) / 10.0)
              + ",\"user\":{\"id\":\"u-"
              + random.nextInt(10_000)
              + "\",\"plan\":\"pro\"},\"region\":\"eu-west-1\"}";
      out[i] = line.getBytes(StandardCharsets.UTF_8);
    }
    return out;
  }
}
