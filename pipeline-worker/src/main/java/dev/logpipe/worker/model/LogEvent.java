package dev.logpipe.worker.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One normalised log row, in the shape of the ClickHouse table. Mutable on purpose: it is filled in
 * stages on the hot path (parse, then source position, then scoring) without copying.
 *
 * <p>Absent values: {@code statusCode} is {@link #NO_STATUS}, {@code latencyMs} is NaN, strings are
 * empty (the table columns are not nullable).
 */
public final class LogEvent {

  /** Sentinel for "no status code"; valid codes are 100-599. */
  public static final int NO_STATUS = -1;

  /** Highest anomaly score; scores add up and are capped here. */
  public static final int MAX_SCORE = 100;

  private long timestampMs;
  private String service = "";
  private String level = "INFO";
  private String message = "";
  private String host = "";
  private String traceId = "";
  private int statusCode = NO_STATUS;
  private double latencyMs = Double.NaN;
  private String errorCode = "";
  // Parsers hand over their own map; an empty immutable one costs nothing until then.
  private Map<String, String> attributes = Map.of();
  private int anomalyScore;
  private List<String> anomalyReasons = List.of();
  private long ingestedAtMs;
  private int partition;
  private long offset;

  public long timestampMs() {
    return timestampMs;
  }

  public LogEvent timestampMs(long value) {
    this.timestampMs = value;
    return this;
  }

  public String service() {
    return service;
  }

  public LogEvent service(String value) {
    this.service = nonNull(value);
    return this;
  }

  public String level() {
    return level;
  }

  public LogEvent level(String value) {
    this.level = value == null ? "INFO" : value;
    return this;
  }

  public String message() {
    return message;
  }

  public LogEvent message(String value) {
    this.message = nonNull(value);
    return this;
  }

  public String host() {
    return host;
  }

  public LogEvent host(String value) {
    this.host = nonNull(value);
    return this;
  }

  public String traceId() {
    return traceId;
  }

  public LogEvent traceId(String value) {
    this.traceId = nonNull(value);
    return this;
  }

  public int statusCode() {
    return statusCode;
  }

  public boolean hasStatusCode() {
    return statusCode != NO_STATUS;
  }

  public LogEvent statusCode(int value) {
    this.statusCode = value;
    return this;
  }

  public double latencyMs() {
    return latencyMs;
  }

  public boolean hasLatency() {
    return !Double.isNaN(latencyMs);
  }

  public LogEvent latencyMs(double value) {
    this.latencyMs = value;
    return this;
  }

  public String errorCode() {
    return errorCode;
  }

  public LogEvent errorCode(String value) {
    this.errorCode = nonNull(value);
    return this;
  }

  /**
   * Everything that is not a unified field; insertion-ordered so encoding is deterministic. Set it
   * with {@link #attributes(Map)}: a new event's map is empty and immutable.
   */
  public Map<String, String> attributes() {
    return attributes;
  }

  public LogEvent attributes(Map<String, String> value) {
    this.attributes = value == null ? Map.of() : value;
    return this;
  }

  public int anomalyScore() {
    return anomalyScore;
  }

  public List<String> anomalyReasons() {
    return anomalyReasons;
  }

  /** Adds a matched rule: the score grows up to {@link #MAX_SCORE}, the name is recorded. */
  public void addAnomaly(String reason, int score) {
    if (anomalyReasons.isEmpty()) {
      // Most events match nothing: the shared empty list costs no allocation for them.
      anomalyReasons = new ArrayList<>(4);
    }
    anomalyReasons.add(reason);
    anomalyScore = Math.min(MAX_SCORE, anomalyScore + Math.max(0, score));
  }

  public long ingestedAtMs() {
    return ingestedAtMs;
  }

  public LogEvent ingestedAtMs(long value) {
    this.ingestedAtMs = value;
    return this;
  }

  public int partition() {
    return partition;
  }

  public long offset() {
    return offset;
  }

  /** The Kafka position this row came from: the table's deduplication key. */
  public LogEvent source(int partition, long offset) {
    this.partition = partition;
    this.offset = offset;
    return this;
  }

  private static String nonNull(String value) {
    return value == null ? "" : value;
  }

  @Override
  public String toString() {
    return "LogEvent{ts="
        + timestampMs
        + ", service="
        + service
        + ", level="
        + level
        + ", message="
        + message
        + ", host="
        + host
        + ", traceId="
        + traceId
        + ", status="
        + statusCode
        + ", latencyMs="
        + latencyMs
        + ", errorCode="
        + errorCode
        + ", attributes="
        + attributes
        + ", score="
        + anomalyScore
        + ", reasons="
        + anomalyReasons
        + ", partition="
        + partition
        + ", offset="
        + offset
        + "}";
  }
}
