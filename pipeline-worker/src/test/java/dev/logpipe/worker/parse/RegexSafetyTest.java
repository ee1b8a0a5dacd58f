package dev.logpipe.worker.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.config.PipelineConfig.Anomalies;
import dev.logpipe.worker.config.PipelineConfig.Condition;
import dev.logpipe.worker.config.PipelineConfig.Rule;
import dev.logpipe.worker.detect.RuleEngine;
import dev.logpipe.worker.model.LogEvent;
import dev.logpipe.worker.model.Rejection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Known catastrophic-backtracking patterns with the inputs that trigger them (issue 13, finding 4:
 * {@code (a+){1,40}} cost 27.7 s of CPU for a 28-character line on java.util.regex). Each record
 * must finish within a small bound, as a format pattern and as a rule's matches.
 */
class RegexSafetyTest {
  /** Far above what RE2/J needs for these lines, far below what backtracking needed. */
  private static final Duration BOUND = Duration.ofSeconds(1);

  @ParameterizedTest(name = "[{index}] {0} on {1} x {2} + {3}")
  @CsvSource(
      delimiter = '#',
      value = {
        "^(?<message>(a+){1,40})$ # a # 28 # !",
        "^(?<message>(a+){1,40})$ # a # 40 # !",
        "^(?<message>(a|aa)+)$ # a # 50 # !",
        "^(?<message>(.*a){20})$ # a # 30 # b",
        "^(?<message>(\\w+\\s?)*)$ # a # 40 # !",
        "^(?<message>(x+x+)+y)$ # x # 40 # z",
        "^(?<message>(a*)*b)$ # a # 40 # c",
        "^(?<message>([a-zA-Z]+)*)$ # a # 40 # 1",
      })
  void catastrophicPatternsFinishQuickly(String pattern, String unit, int repeat, String tail) {
    String line = unit.repeat(repeat) + tail;
    LogParser parser =
        LogParser.forFormat(
            new PipelineConfig.Format("regex", pattern, null, null), ParseLimits.DEFAULTS);

    ParseResult r =
        assertTimeoutPreemptively(
            BOUND, () -> parser.parse(line.getBytes(StandardCharsets.UTF_8), 0));

    assertThat(r.rejection()).isNotNull();
    assertThat(r.rejection().reason()).isEqualTo(Rejection.Reason.REGEX_NO_MATCH);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '#',
      value = {"(a+){1,40}$", "(a|aa)+$", "(.*a){20}", "^(\\w+\\s?)*$", "(x+x+)+y"})
  void catastrophicRulePatternsFinishQuickly(String pattern) {
    RuleEngine rules =
        RuleEngine.compile(
            new Anomalies(
                false,
                List.of(
                    new Rule(
                        "r",
                        new Condition(
                            "message", null, null, null, null, null, null, null, pattern, null),
                        10)),
                null));
    LogEvent event = new LogEvent().service("s").level("INFO").message("a".repeat(40) + "!");

    assertTimeoutPreemptively(BOUND, () -> rules.apply(event));
  }

  @Test
  void aMegabyteLineStopsAtTheBudgetAndIsDeadLetteredWithTheReason() {
    // RE2/J is linear, but (a+){1,40}$ over 1 MiB still needs about 4 s: the budget bounds it.
    String line = "a".repeat((1 << 20) - 100) + "!";
    LogParser parser =
        LogParser.forFormat(
            new PipelineConfig.Format("regex", "^(?<message>(a+){1,40})$", null, null),
            ParseLimits.DEFAULTS);

    long start = System.nanoTime();
    ParseResult r = parser.parse(line.getBytes(StandardCharsets.UTF_8), 0);
    long ms = (System.nanoTime() - start) / 1_000_000;

    assertThat(r.rejection().reason()).isEqualTo(Rejection.Reason.REGEX_TIMEOUT);
    assertThat(r.rejection().detail()).contains("format.pattern needed more than 50 ms");
    assertThat(ms).isLessThan(BOUND.toMillis());
  }

  @Test
  void namedGroupsWorkInBothSyntaxes() {
    LogParser parser =
        LogParser.forFormat(
            new PipelineConfig.Format(
                "regex", "^(?<level>\\w+) (?P<service>[a-z-]+): (?<message>.*)$", null, null),
            ParseLimits.DEFAULTS);

    ParseResult r = parser.parse("ERROR cart-api: boom".getBytes(StandardCharsets.UTF_8), 0);

    assertThat(r.event().level()).isEqualTo("ERROR");
    assertThat(r.event().service()).isEqualTo("cart-api");
    assertThat(r.event().message()).isEqualTo("boom");
  }
}
