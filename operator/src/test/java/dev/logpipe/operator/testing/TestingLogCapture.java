package dev.logpipe.operator.testing;

import dev.logpipe.operator.logging.KeyValueLogFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the operator prints, as its log formatter writes it, for tests that grep the log (no secret
 * value, the events a change logs). Install after the operator started: its start resets the log
 * configuration.
 */
public final class TestingLogCapture extends Handler {
  private final KeyValueLogFormatter format = new KeyValueLogFormatter();
  private final List<String> lines = new ArrayList<>();

  /** A capture on the root logger. */
  public static TestingLogCapture install() {
    TestingLogCapture capture = new TestingLogCapture();
    Logger.getLogger("").addHandler(capture);
    return capture;
  }

  /** Every line captured so far. */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** Every line captured so far, joined by newlines. */
  public String text() {
    return String.join("\n", lines());
  }

  @Override
  public synchronized void publish(LogRecord record) {
    lines.add(format.format(record));
  }

  @Override
  public void flush() {}

  /** Removes the capture from the root logger; what it captured stays readable. */
  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
  }
}
