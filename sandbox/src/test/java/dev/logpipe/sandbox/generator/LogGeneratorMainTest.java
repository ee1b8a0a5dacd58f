package dev.logpipe.sandbox.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The standalone generator's command line: what it accepts and the messages for what it does not.
 */
class LogGeneratorMainTest {
  @Test
  void parsesAKafkaRunWithACountAndItsSettings() {
    LogGeneratorMain.Options o =
        LogGeneratorMain.Options.parse(
            new String[] {
              "--kafka",
              "127.0.0.1:9092",
              "--topic",
              "t",
              "--count",
              "1500",
              "--rate",
              "700",
              "--services",
              "a, b",
              "--error-rate",
              "0.1",
              "--burst-every",
              "0",
              "--malformed-every",
              "50",
              "--duration",
              "2m"
            },
            null);
    assertThat(o.count()).isEqualTo(1500L);
    assertThat(o.duration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(o.settings().ratePerSecond()).isEqualTo(700);
    assertThat(o.settings().services()).isEqualTo(List.of("a", "b"));
    assertThat(o.settings().errorRate()).isEqualTo(0.1);
    assertThat(o.settings().burstEvery()).isZero();
    assertThat(o.settings().malformedEvery()).isEqualTo(50);
  }

  @Test
  void theGatewayTokenMayComeFromTheEnvironment() {
    LogGeneratorMain.Options o =
        LogGeneratorMain.Options.parse(
            new String[] {"--gateway", "http://127.0.0.1:8080"}, "secret-token-0123456789");
    assertThat(o.token()).isEqualTo("secret-token-0123456789");
  }

  @Test
  void badInputGetsAClearMessage() {
    assertThatThrownBy(() -> parse("--kafka", "k", "--topic", "t", "--rate", "fast"))
        .hasMessage("--rate needs a number, was 'fast'");
    assertThatThrownBy(() -> parse("--kafka", "k", "--topic", "t", "--count", "0"))
        .hasMessage("--count must be positive, was 0");
    assertThatThrownBy(() -> parse("--kafka", "k", "--topic")).hasMessage("--topic needs a value");
    assertThatThrownBy(() -> parse("--kafka", "k", "--topic", "t", "--speed", "1"))
        .hasMessage("unknown option --speed");
    assertThatThrownBy(() -> parse("--gateway", "http://x"))
        .hasMessage("give --kafka and --topic, or --gateway and --token");
    assertThatThrownBy(() -> parse("--kafka", "k", "--topic", "t", "--error-rate", "2"))
        .hasMessageContaining("between 0 and 1");
    assertThatThrownBy(() -> parse("--kafka", "k", "--topic", "t", "--duration", "soon"))
        .hasMessageContaining("not a duration");
  }

  private static LogGeneratorMain.Options parse(String... args) {
    return LogGeneratorMain.Options.parse(args, null);
  }
}
