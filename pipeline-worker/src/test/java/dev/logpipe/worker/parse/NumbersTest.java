package dev.logpipe.worker.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NumbersTest {

  @ParameterizedTest(name = "latency {0} -> {1} ms")
  @CsvSource({
    "12, 12.0",
    "12.5, 12.5",
    "' 7 ', 7.0",
    "123ms, 123.0",
    "1.2s, 1200.0",
    "250us, 0.25",
    "250µs, 0.25",
    "1500000ns, 1.5",
    "2m, 120000.0",
    "0, 0.0",
    "1e3, 1000.0",
  })
  void latency(String raw, double expected) {
    assertThat(Numbers.parseLatencyMs(raw)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{0}] is not a latency")
  @ValueSource(strings = {"", "fast", "-5", "12 parsecs", "1.2.3s", "ms", "Infinity"})
  void notLatency(String raw) {
    assertThat(Numbers.parseLatencyMs(raw)).isNaN();
  }

  @ParameterizedTest(name = "status {0} -> {1}")
  @CsvSource({"200, 200", "'404', 404", "599, 599", "99, -1", "600, -1", "2xx, -1", "'', -1"})
  void status(String raw, int expected) {
    assertThat(Numbers.parseStatus(raw)).isEqualTo(expected);
  }

  @Test
  void fastDecimalPathAgreesWithTheJdk() {
    Random random = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      long mantissa = random.nextLong() % 1_000_000_000_000_000L;
      String s = Long.toString(mantissa);
      int point = random.nextInt(s.length() + 1);
      if (point > (s.startsWith("-") ? 1 : 0) && point < s.length()) {
        s = s.substring(0, point) + "." + s.substring(point);
      }
      assertThat(Numbers.parseDouble(s)).as(s).isEqualTo(Double.parseDouble(s));
    }
  }
}
