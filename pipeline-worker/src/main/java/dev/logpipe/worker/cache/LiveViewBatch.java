package dev.logpipe.worker.cache;

import dev.logpipe.worker.model.LogEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one stored batch contributes to the Redis live views, accumulated while the batch is built
 * so memory stays bounded: the newest events per service (at most {@code recentPerService} each),
 * counts per minute, service and level, and the newest anomalous events.
 */
public final class LiveViewBatch {
  private static final int MAX_SERVICES = 1_000;

  private final int recentPerService;
  private final int anomaliesMax;
  private final Map<String, ArrayDeque<LogEvent>> recent = new HashMap<>();

  /**
   * Epoch second of the minute → service → level → count. Nested rather than keyed by
   * "service|level" so counting an event builds no string (the key is joined once per write).
   */
  private final Map<Long, Map<String, Map<String, long[]>>> counts = new HashMap<>();

  private final ArrayDeque<LogEvent> anomalies = new ArrayDeque<>();

  /** The minute the last event fell in and its counts: events mostly arrive in time order. */
  private long lastMinute = Long.MIN_VALUE;

  private Map<String, Map<String, long[]>> lastMinuteCounts;

  public LiveViewBatch(int recentPerService, int anomaliesMax) {
    this.recentPerService = recentPerService;
    this.anomaliesMax = anomaliesMax;
  }

  public void add(LogEvent event) {
    addRecent(event.service(), event);
    count(Math.floorDiv(event.timestampMs(), 60_000L) * 60L, event.service(), event.level(), 1);
    if (event.anomalyScore() > 0) {
      addAnomaly(event);
    }
  }

  private void count(long minute, String service, String level, long n) {
    Map<String, Map<String, long[]>> byService = lastMinuteCounts;
    if (minute != lastMinute) {
      byService = counts.computeIfAbsent(minute, m -> new HashMap<>());
      lastMinute = minute;
      lastMinuteCounts = byService;
    }
    Map<String, long[]> byLevel = byService.get(service);
    if (byLevel == null) {
      byLevel = new HashMap<>(8);
      byService.put(service, byLevel);
    }
    long[] count = byLevel.get(level);
    if (count == null) {
      count = new long[1];
      byLevel.put(level, count);
    }
    count[0] += n;
  }

  private void addRecent(String service, LogEvent event) {
    ArrayDeque<LogEvent> newest = recent.get(service);
    if (newest == null && recent.size() < MAX_SERVICES) {
      newest = new ArrayDeque<>();
      recent.put(service, newest);
    }
    if (newest != null) {
      if (newest.size() == recentPerService) {
        newest.removeFirst();
      }
      newest.addLast(event);
    }
  }

  private void addAnomaly(LogEvent event) {
    if (anomalies.size() == anomaliesMax) {
      anomalies.removeFirst();
    }
    anomalies.addLast(event);
  }

  /**
   * Folds a later batch into this one (while the writer is busy): counts add up, the newest events
   * win, caps still hold.
   */
  public void merge(LiveViewBatch later) {
    later.recent.forEach(
        (service, events) -> {
          for (LogEvent e : events) {
            addRecent(service, e);
          }
        });
    later.counts.forEach(
        (minute, byService) ->
            byService.forEach(
                (service, byLevel) ->
                    byLevel.forEach((level, n) -> count(minute, service, level, n[0]))));
    for (LogEvent e : later.anomalies) {
      addAnomaly(e);
    }
  }

  public boolean isEmpty() {
    return counts.isEmpty();
  }

  /** Newest events per service, oldest first. */
  public Map<String, ArrayDeque<LogEvent>> recent() {
    return recent;
  }

  /** Epoch second of the minute → "service|level" → count (built on each call). */
  public Map<Long, Map<String, Long>> countsByMinute() {
    Map<Long, Map<String, Long>> joined = new HashMap<>();
    counts.forEach(
        (minute, byService) -> {
          Map<String, Long> into = new HashMap<>();
          byService.forEach(
              (service, byLevel) ->
                  byLevel.forEach(
                      (level, n) -> into.merge(service + "|" + level, n[0], Long::sum)));
          joined.put(minute, into);
        });
    return joined;
  }

  public List<LogEvent> anomalies() {
    return new ArrayList<>(anomalies);
  }
}
