package dev.logpipe.worker.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.config.UserPatterns;
import dev.logpipe.worker.model.Rejection;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Patterns RE2/J accepts but that are still hostile: counted repetitions multiply into programs of
 * millions of instructions. Before the size check, the 30-character pattern below ran the JVM out
 * of memory while compiling (operator and worker both compile it), and {@code (a{1,1000}){1,1000}$}
 * spent 28 s on one 1 KiB line despite the 50 ms budget.
 */
class BreakerRegexTest {
  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "^(?<message>((a{1,1000}){1,1000}){1,1000})$",
        "^(?<message>(?:(?:a{0,1000}){0,1000}){0,1000})$",
        "^(?<message>(a{1,1000}){1,1000})$",
        "^(?<message>(a{1,100}){1,101})$",
        "(?<message>[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}"
            + "[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000})",
      })
  void hugeProgramsAreRefusedQuicklyWithAReason(String pattern) {
    String problem =
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> UserPatterns.problem(pattern));

    assertThat(problem).startsWith("too large").contains("instructions");
    assertThatThrownBy(() -> UserPatterns.compile(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("too large");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "^(?<message>.{0,1000})$",
        "^(?<ip>(\\d{1,3}\\.){3}\\d{1,3}) (?<message>[a-z]{1,64})$",
        "^(?<message>a\\{1000\\}x{ b{,5})$",
        "^(?<host>[^\\]{}]{1,255}) \\Q{1000}{1000}\\E (?<message>\\p{L}{1,100})$",
        "^(?<message>(a{1,98}){1,99})$",
      })
  void ordinaryPatternsStillCompile(String pattern) {
    assertThat(UserPatterns.problem(pattern)).isNull();
  }

  /** Just under the size limit: each character read costs ~0.5 ms, the budget must still hold. */
  @Test
  void budgetHoldsForAPatternAtTheSizeLimit() {
    LogParser parser =
        LogParser.forFormat(
            new PipelineConfig.Format("regex", "^(?<message>(a{1,98}){1,99})$", null, null),
            ParseLimits.DEFAULTS);
    byte[] line = ("a".repeat(4000) + "!").getBytes(StandardCharsets.UTF_8);
    parser.parse("aaaa!".getBytes(StandardCharsets.UTF_8), 0); // warm up

    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu = threads.getCurrentThreadCpuTime();
    ParseResult r = parser.parse(line, 0);
    long cpuMillis = (threads.getCurrentThreadCpuTime() - cpu) / 1_000_000;

    assertThat(r.rejection()).isNotNull();
    assertThat(r.rejection().reason()).isEqualTo(Rejection.Reason.REGEX_TIMEOUT);
    // 50 ms budget; CPU time, so a loaded machine cannot make it look worse than it is. Measured:
    // 56 ms; 118 ms when the clock was read every 1024 characters.
    assertThat(cpuMillis).isLessThan(100);
  }
}
