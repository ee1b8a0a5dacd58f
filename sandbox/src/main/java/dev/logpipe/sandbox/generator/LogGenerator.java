package dev.logpipe.sandbox.generator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends generated logs to a {@link LogSink}: live (timestamps now, at a rate, with periodic error
 * bursts from one service at a time, optionally stopping after an exact number of lines) or as a
 * fixed scenario with exact counts (timestamps spread over a past span, one burst inside it) for
 * tests and smoke runs. Lines count as sent once the sink acknowledged their batch.
 */
public final class LogGenerator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogGenerator.class);

  /**
   * What was sent and acknowledged; valid lines include the burst's errors. {@code failed} lines
   * were generated but their batch was not acknowledged (live mode logs and drops them).
   */
  public record Counts(long valid, long malformed, long errors, long burstErrors, long failed) {
    public long sent() {
      return valid + malformed;
    }
  }

  private final LogSink sink;
  private final GeneratorSettings settings;
  private final Clock clock;
  private final LogLineFactory lines;
  private final AtomicLong valid = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong burstErrors = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final CountDownLatch finished = new CountDownLatch(1);
  private long generated;
  private volatile boolean running;
  private volatile String burstService;
  private Thread thread;

  public LogGenerator(LogSink sink, GeneratorSettings settings, Clock clock) {
    this.sink = sink;
    this.settings = settings;
    this.clock = clock;
    this.lines = new LogLineFactory(settings.seed(), settings.services());
  }

  /** Live mode, on its own thread, ten batches a second, until closed. */
  public LogGenerator start() {
    return start(Long.MAX_VALUE);
  }

  /** Live mode that stops after {@code limit} lines (see {@link #awaitFinished}). */
  public LogGenerator start(long limit) {
    running = true;
    Instant started = clock.instant();
    thread =
        new Thread(
            () -> {
              try {
                loop(started, limit);
              } finally {
                finished.countDown();
              }
            },
            "log-generator");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** True once a limited run has generated its lines and the sink answered for all of them. */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void loop(Instant started, long limit) {
    long tick = 0;
    long due = 0;
    while (running && generated < limit) {
      Instant now = clock.instant();
      Batch batch = new Batch();
      tick++;
      // Cumulative, so that rates below ten lines a second are kept too.
      long dueNow = tick * settings.ratePerSecond() / 10;
      for (; due < dueNow && generated < limit; due++) {
        add(batch, now, false, null);
      }
      burstService = burstAt(Duration.between(started, now));
      if (burstService != null) {
        for (int i = 0; i < settings.burstErrorsPerSecond() / 10 && generated < limit; i++) {
          add(batch, now, true, burstService);
        }
      }
      try {
        send(batch);
      } catch (Exception e) {
        failed.addAndGet(batch.lines.size());
        LOG.warn("event=send_failed lines={} error=\"{}\"", batch.lines.size(), e.getMessage());
      }
      long sleep = started.plusMillis(tick * 100).toEpochMilli() - clock.millis();
      if (sleep > 0 && generated < limit) {
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

  /** Lines of one batch and what they count for once acknowledged. */
  private static final class Batch {
    final List<byte[]> lines = new ArrayList<>();
    long valid;
    long malformed;
    long errors;
    long burstErrors;
  }

  private void add(Batch batch, Instant ts, boolean burst, String service) {
    long n = generated++;
    if (!burst
        && sink.acceptsMalformed()
        && settings.malformedEvery() > 0
        && n % settings.malformedEvery() == settings.malformedEvery() - 1) {
      batch.lines.add(LogLineFactory.malformed(malformed.get() + batch.malformed));
      batch.malformed++;
      return;
    }
    byte[] line = burst ? lines.error(ts, service) : lines.normal(ts, settings.errorRate());
    if (burst) {
      batch.burstErrors++;
    }
    if (burst
        || new String(line, 0, Math.min(line.length, 80), java.nio.charset.StandardCharsets.UTF_8)
            .contains("\"ERROR\"")) {
      batch.errors++;
    }
    batch.valid++;
    batch.lines.add(line);
  }

  private void send(Batch batch) throws Exception {
    if (batch.lines.isEmpty()) {
      return;
    }
    sink.send(batch.lines);
    valid.addAndGet(batch.valid);
    malformed.addAndGet(batch.malformed);
    errors.addAndGet(batch.errors);
    burstErrors.addAndGet(batch.burstErrors);
  }

  /**
   * Sends {@code count} lines with timestamps spread evenly over {@code span} ending now, among
   * them one burst window of errors from the first service at 70% of the span, and the configured
   * share of broken lines. Returns once every line is acknowledged.
   */
  public Counts sendScenario(int count, Duration span, Duration burstWindow) throws Exception {
    Instant end = clock.instant();
    Instant start = end.minus(span);
    Instant burstStart = start.plusMillis(span.toMillis() * 7 / 10);
    int burst =
        (int) Math.min(count / 10, settings.burstErrorsPerSecond() * burstWindow.toSeconds());
    int normal = count - burst;
    Batch batch = new Batch();
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
      if (batch.lines.size() >= 1000) {
        send(batch);
        batch = new Batch();
      }
    }
    send(batch);
    return counts();
  }

  public Counts counts() {
    return new Counts(valid.get(), malformed.get(), errors.get(), burstErrors.get(), failed.get());
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
