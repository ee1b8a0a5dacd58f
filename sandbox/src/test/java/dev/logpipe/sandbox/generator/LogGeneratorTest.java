package dev.logpipe.sandbox.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogGeneratorTest {
  static final class Recording implements LogSink {
    final List<byte[]> lines = new ArrayList<>();

    @Override
    public void send(List<byte[]> batch) {
      lines.addAll(batch);
    }

    @Override
    public boolean acceptsMalformed() {
      return true;
    }

    @Override
    public void close() {}
  }

  @Test
  void scenarioCountsExactlyWhatItSentWithOneBurst() throws Exception {
    Recording sink = new Recording();
    GeneratorSettings settings =
        GeneratorSettings.defaults()
            .withMalformedEvery(100)
            .withBurst(Duration.ofSeconds(45), Duration.ofSeconds(10), 30);
    LogGenerator generator =
        new LogGenerator(
            sink, settings, Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));
    LogGenerator.Counts counts =
        generator.sendScenario(10_000, Duration.ofMinutes(5), Duration.ofSeconds(10));
    assertThat(counts.valid() + counts.malformed()).isEqualTo(10_000).isEqualTo(sink.lines.size());
    assertThat(counts.malformed()).isBetween(95L, 100L);
    assertThat(counts.burstErrors()).isEqualTo(300);
    long burstLines =
        sink.lines.stream()
            .map(l -> new String(l, StandardCharsets.UTF_8))
            .filter(
                l ->
                    l.contains("\"app\":\"payments\"")
                        && l.contains("\"ERROR\"")
                        && l.contains("2029-12-31T23:58:3"))
            .count();
    assertThat(burstLines).isGreaterThan(250);
  }

  @Test
  void burstsComeAfterTheFirstPeriodAndRotateServices() {
    LogGenerator g =
        new LogGenerator(new Recording(), GeneratorSettings.defaults(), Clock.systemUTC());
    assertThat(g.burstAt(Duration.ofSeconds(3))).isNull();
    assertThat(g.burstAt(Duration.ofSeconds(46))).isEqualTo("payments");
    assertThat(g.burstAt(Duration.ofSeconds(55))).isNull();
    assertThat(g.burstAt(Duration.ofSeconds(91))).isEqualTo("checkout");
  }
}
