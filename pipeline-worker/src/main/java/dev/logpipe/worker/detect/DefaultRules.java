package dev.logpipe.worker.detect;

import dev.logpipe.worker.model.Level;
import dev.logpipe.worker.model.LogEvent;
import java.util.List;

/**
 * The classic rule set enabled by {@code anomalies.defaults}. Written as code rather than
 * conditions because http-4xx needs a range, which one condition cannot express.
 */
final class DefaultRules {

  static final int SLOW_MS = 3000;

  private DefaultRules() {}

  static List<RuleEngine.CompiledRule> all() {
    return List.of(
        new RuleEngine.CompiledRule("error-level", e -> Level.isError(e.level()), 50),
        new RuleEngine.CompiledRule("http-5xx", e -> e.statusCode() >= 500, 40),
        new RuleEngine.CompiledRule(
            "http-4xx", e -> e.statusCode() >= 400 && e.statusCode() < 500, 15),
        new RuleEngine.CompiledRule("slow-request", e -> e.latencyMs() > SLOW_MS, 30),
        new RuleEngine.CompiledRule("error-code", DefaultRules::hasErrorCode, 20));
  }

  private static boolean hasErrorCode(LogEvent e) {
    return !e.errorCode().isBlank();
  }
}
