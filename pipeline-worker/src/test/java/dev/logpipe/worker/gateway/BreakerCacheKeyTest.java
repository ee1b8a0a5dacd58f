package dev.logpipe.worker.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Adversarial review: the query cache key must be a function of the query's meaning, so a request
 * whose value spells a separator cannot take another query's key (and plant its answer there).
 */
class BreakerCacheKeyTest {
  private static String key(Map<String, List<String>> raw) {
    return QueryCache.hash(
        "logs?" + new QueryParameters(raw, QueryService.LOGS_PARAMS).canonical());
  }

  @Test
  void aValueThatSpellsAnotherParameterIsADifferentKey() {
    assertThat(key(Map.of("q", List.of("needle&service=web"))))
        .isNotEqualTo(key(Map.of("q", List.of("needle"), "service", List.of("web"))));
    assertThat(key(Map.of("q", List.of("x]1:q1[1:y"))))
        .isNotEqualTo(key(Map.of("q", List.of("x", "y"))));
  }

  @Test
  void oneValueHoldingTheRepeatSeparatorIsNotTwoValues() {
    assertThat(key(Map.of("service", List.of("web\u0000api"))))
        .isNotEqualTo(key(Map.of("service", List.of("web", "api"))));
  }

  @Test
  void aLoneSurrogateIsNotAQuestionMarkOrAReplacementCharacter() {
    String lone = key(Map.of("q", List.of("\ud800")));
    assertThat(lone).isNotEqualTo(key(Map.of("q", List.of("?"))));
    assertThat(lone).isNotEqualTo(key(Map.of("q", List.of("\ufffd"))));
  }

  @Test
  void theSameQueryIsTheSameKeyWhateverTheParameterOrder() {
    assertThat(key(Map.of("q", List.of("x"), "service", List.of("a", "b"))))
        .isEqualTo(
            key(
                new java.util.LinkedHashMap<>(
                    Map.of("service", List.of("a", "b"), "q", List.of("x")))));
  }
}
