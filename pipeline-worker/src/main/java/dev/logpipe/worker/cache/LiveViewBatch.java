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
  private final Map<Long, Map<String, Long>> countsByMinute = new HashMap<>();
  private final ArrayDeque<LogEvent> anomalies = new ArrayDeque<>();

  public LiveViewBatch(int recentPerService, int anomaliesMax) {
    this.recentPerService = recentPerService;
    this.anomaliesMax = anomaliesMax;
  }

  public void add(LogEvent event) {
    addRecent(event.service(), event);
    long minute = Math.floorDiv(event.timestampMs(), 60_000L) * 60L;
    countsByMinute
        .computeIfAbsent(minute, m -> new HashMap<>())
        .merge(event.service() + "|" + event.level(), 1L, Long::sum);
    if (event.anomalyScore() > 0) {
      addAnomaly(event);
    }
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
    later.countsByMinute.forEach(
        (minute, counts) -> {
          Map<String, Long> into = countsByMinute.computeIfAbsent(minute, m -> new HashMap<>());
          counts.forEach((k, v) -> into.merge(k, v, Long::sum));
        });
    for (LogEvent e : later.anomalies) {
      addAnomaly(e);
    }
  }

  public boolean isEmpty() {
    return countsByMinute.isEmpty();
  }

  /** Newest events per service, oldest first. */
  public Map<String, ArrayDeque<LogEvent>> recent() {
    return recent;
  }

  /** Epoch second of the minute → "service|level" → count. */
  public Map<Long, Map<String, Long>> countsByMinute() {
    return countsByMinute;
  }

  public List<LogEvent> anomalies() {
    return new ArrayList<>(anomalies);
  }
}
