package dev.logpipe.operator.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.slf4j.MDC;

/**
 * One key=value line per event for java.util.logging (slf4j's jdk14 binding), with the resource
 * JOSDK is reconciling taken from its MDC ({@code resource.namespace}, {@code resource.name}). JUL
 * formats on the logging thread, so the MDC is the reconciliation's own.
 */
public final class KeyValueLogFormatter extends Formatter {
  // JUL holds loggers weakly: keep the ones whose level we set.
  private static final Logger KAFKA = Logger.getLogger("org.apache.kafka");
  private static final Logger CLICKHOUSE = Logger.getLogger("com.clickhouse");

  /** Replaces the JVM's JUL setup with one console handler using this formatter. */
  public static void install(Level level) {
    LogManager.getLogManager().reset();
    ConsoleHandler handler = new ConsoleHandler();
    handler.setLevel(level);
    handler.setFormatter(new KeyValueLogFormatter());
    Logger root = Logger.getLogger("");
    root.setLevel(level);
    root.addHandler(handler);
    // Client libraries log every retry and their whole configuration at INFO.
    KAFKA.setLevel(Level.WARNING);
    CLICKHOUSE.setLevel(Level.SEVERE);
  }

  @Override
  public String format(LogRecord record) {
    StringBuilder out = new StringBuilder(160);
    out.append("ts=").append(Instant.ofEpochMilli(record.getMillis()));
    out.append(" level=").append(record.getLevel().getName());
    out.append(" logger=").append(shortName(record.getLoggerName()));
    append(out, "namespace", MDC.get("resource.namespace"));
    append(out, "name", MDC.get("resource.name"));
    out.append(" msg=").append(quote(formatMessage(record)));
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      out.append(" error=").append(quote(trace.toString()));
    }
    return out.append(System.lineSeparator()).toString();
  }

  private static void append(StringBuilder out, String key, String value) {
    if (value != null && !value.isEmpty()) {
      out.append(' ').append(key).append('=').append(value);
    }
  }

  private static String shortName(String logger) {
    if (logger == null) {
      return "-";
    }
    return logger.substring(logger.lastIndexOf('.') + 1);
  }

  // One event per line, and nothing a terminal acts on: newlines (stack traces), tabs and every
  // other control character (a carriage return, an ANSI escape in a tenant's value) are escaped,
  // quotes and backslashes too.
  private static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
