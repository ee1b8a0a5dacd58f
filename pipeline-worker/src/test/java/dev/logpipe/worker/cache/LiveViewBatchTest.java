package dev.logpipe.worker.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.worker.model.LogEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveViewBatchTest {
  private static final long MINUTE = 1_780_000_020L * 1000; // on a minute boundary (ms)

  private static LogEvent event(long ms, String service, String level, int score, long offset) {
    LogEvent e = new LogEvent().timestampMs(ms).service(service).level(level).message("m");
    if (score > 0) {
      e.addAnomaly("rule", score);
    }
    return e.source(0, offset);
  }

  @Test
  void countsEventsPerMinuteServiceAndLevelAcrossMinutesOutOfOrder() {
    LiveViewBatch batch = new LiveViewBatch(10, 10);
    batch.add(event(MINUTE, "api", "INFO", 0, 1));
    batch.add(event(MINUTE + 59_999, "api", "INFO", 0, 2));
    batch.add(event(MINUTE + 60_000, "api", "ERROR", 50, 3));
    batch.add(event(MINUTE + 1, "web", "INFO", 0, 4)); // back to the first minute
    batch.add(event(MINUTE + 2, "api", "ERROR", 50, 5));

    long first = MINUTE / 1000;
    assertThat(batch.countsByMinute())
        .isEqualTo(
            Map.of(
                first,
                Map.of("api|INFO", 2L, "web|INFO", 1L, "api|ERROR", 1L),
                first + 60,
                Map.of("api|ERROR", 1L)));
    assertThat(batch.anomalies()).extracting(LogEvent::offset).containsExactly(3L, 5L);
    assertThat(batch.isEmpty()).isFalse();
  }

  @Test
  void mergeAddsCountsAndKeepsTheNewestEventsWithinTheCaps() {
    LiveViewBatch earlier = new LiveViewBatch(2, 1);
    earlier.add(event(MINUTE, "api", "INFO", 0, 1));
    earlier.add(event(MINUTE, "api", "ERROR", 50, 2));
    LiveViewBatch later = new LiveViewBatch(2, 1);
    later.add(event(MINUTE + 60_000, "api", "INFO", 0, 3));
    later.add(event(MINUTE, "api", "INFO", 30, 4));

    earlier.merge(later);

    long first = MINUTE / 1000;
    assertThat(earlier.countsByMinute())
        .isEqualTo(
            Map.of(
                first,
                Map.of("api|INFO", 2L, "api|ERROR", 1L),
                first + 60,
                Map.of("api|INFO", 1L)));
    assertThat(earlier.recent().get("api")).extracting(LogEvent::offset).containsExactly(3L, 4L);
    assertThat(earlier.anomalies()).extracting(LogEvent::offset).containsExactly(4L);
  }

  @Test
  void anEmptyBatchHasNothingToWrite() {
    LiveViewBatch batch = new LiveViewBatch(5, 5);
    assertThat(batch.isEmpty()).isTrue();
    batch.merge(new LiveViewBatch(5, 5));
    assertThat(batch.isEmpty()).isTrue();
    assertThat(batch.countsByMinute()).isEmpty();
  }
}
