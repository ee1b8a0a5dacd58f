package dev.logpipe.sandbox.generator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends generated logs to a {@link LogSink}: live (timestamps now, at a rate, with periodic error
 * bursts from one service at a time) or as a fixed scenario with exact counts (timestamps spread
 * over a past span, one burst inside it) for tests and smoke runs.
 */
public final class LogGenerator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogGenerator.class);

  /** What was sent. Valid lines include the burst's errors. */
  public record Counts(long valid, long malformed, long errors, long burstErrors) {}

  private final LogSink sink;
  private final GeneratorSettings settings;
  private final Clock clock;
  private final LogLineFactory lines;
  private final AtomicLong valid = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong burstErrors = new AtomicLong();
  private volatile boolean running;
  private volatile String burstService;
  private Thread thread;

  public LogGenerator(LogSink sink, GeneratorSettings settings, Clock clock) {
    this.sink = sink;
    this.settings = settings;
    this.clock = clock;
    this.lines = new LogLineFactory(settings.seed(), settings.services());
  }

  /** Live mode, on its own thread, ten batches a second. */
  public LogGenerator start() {
    running = true;
    Instant started = clock.instant();
    thread = new Thread(() -> loop(started), "log-generator");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  private void loop(Instant started) {
    long tick = 0;
    while (running) {
      Instant now = clock.instant();
      List<byte[]> batch = new ArrayList<>();
      for (int i = 0; i < settings.ratePerSecond() / 10; i++) {
        add(batch, now, false, null);
      }
      burstService = burstAt(Duration.between(started, now));
      if (burstService != null) {
        for (int i = 0; i < settings.burstErrorsPerSecond() / 10; i++) {
          add(batch, now, true, burstService);
        }
      }
      try {
        sink.send(batch);
      } catch (Exception e) {
        LOG.warn("event=send_failed lines={} error=\"{}\"", batch.size(), e.getMessage());
      }
      tick++;
      long sleep = started.plusMillis(tick * 100).toEpochMilli() - clock.millis();
      if (sleep > 0) {
        try {
          Thread.sleep(sleep);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /**
   * The service bursting at {@code elapsed} into the run, or null (no burst in the first period).
   */
  String burstAt(Duration elapsed) {
    if (settings.burstEvery().isZero()) {
      return null;
    }
    long period = settings.burstEvery().toMillis();
    long n = elapsed.toMillis() / period;
    if (n == 0 || elapsed.toMillis() % period >= settings.burstLength().toMillis()) {
      return null;
    }
    return settings.services().get((int) ((n - 1) % settings.services().size()));
  }

  private void add(List<byte[]> batch, Instant ts, boolean burst, String service) {
    long n = valid.get() + malformed.get();
    if (!burst
        && sink.acceptsMalformed()
        && settings.malformedEvery() > 0
        && n % settings.malformedEvery() == settings.malformedEvery() - 1) {
      batch.add(LogLineFactory.malformed(malformed.getAndIncrement()));
      return;
    }
    byte[] line = burst ? lines.error(ts, service) : lines.normal(ts, settings.errorRate());
    if (burst) {
      burstErrors.incrementAndGet();
    }
    if (burst
        || new String(line, 0, Math.min(line.length, 80), java.nio.charset.StandardCharsets.UTF_8)
            .contains("\"ERROR\"")) {
      errors.incrementAndGet();
    }
    valid.incrementAndGet();
    batch.add(line);
  }

  /**
   * Sends {@code count} valid lines with timestamps spread evenly over {@code span} ending now,
   * among them one burst window of errors from the first service at 70% of the span, plus the
   * configured share of broken lines. Returns once every line is acknowledged.
   */
  public Counts sendScenario(int count, Duration span, Duration burstWindow) throws Exception {
    Instant end = clock.instant();
    Instant start = end.minus(span);
    Instant burstStart = start.plusMillis(span.toMillis() * 7 / 10);
    int burst =
        (int) Math.min(count / 10, settings.burstErrorsPerSecond() * burstWindow.toSeconds());
    int normal = count - burst;
    List<byte[]> batch = new ArrayList<>();
    for (int i = 0; i < normal; i++) {
      add(batch, start.plusMillis(span.toMillis() * i / normal), false, null);
      if (i == normal * 7 / 10) {
        for (int j = 0; j < burst; j++) {
          add(
              batch,
              burstStart.plusMillis(burstWindow.toMillis() * j / burst),
              true,
              settings.services().get(0));
        }
      }
      if (batch.size() >= 1000) {
        sink.send(batch);
        batch = new ArrayList<>();
      }
    }
    sink.send(batch);
    return counts();
  }

  public Counts counts() {
    return new Counts(valid.get(), malformed.get(), errors.get(), burstErrors.get());
  }

  /** The service bursting right now (live mode), or null. */
  public String burstingService() {
    return burstService;
  }

  @Override
  public void close() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    sink.close();
  }
}
