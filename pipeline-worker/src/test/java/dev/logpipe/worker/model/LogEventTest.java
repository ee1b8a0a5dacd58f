package dev.logpipe.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogEventTest {

  @Test
  void absentValuesUseSentinels() {
    LogEvent e = new LogEvent();
    assertThat(e.hasStatusCode()).isFalse();
    assertThat(e.hasLatency()).isFalse();
    assertThat(e.level()).isEqualTo("INFO");
    assertThat(e.message()).isEmpty();
    assertThat(e.service(null).service()).isEmpty();
  }

  @Test
  void anomaliesAddUpToTheCap() {
    LogEvent e = new LogEvent();
    e.addAnomaly("a", 70);
    e.addAnomaly("b", 70);
    assertThat(e.anomalyScore()).isEqualTo(100);
    assertThat(e.anomalyReasons()).containsExactly("a", "b");
  }

  @Test
  void rejectionCodesAreSnakeCase() {
    assertThat(new Rejection(Rejection.Reason.INVALID_UTF8, "x").code()).isEqualTo("invalid_utf8");
    for (Rejection.Reason r : Rejection.Reason.values()) {
      assertThat(r.code()).matches("[a-z0-9_]+");
    }
  }
}
