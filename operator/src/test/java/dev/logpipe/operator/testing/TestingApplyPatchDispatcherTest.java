package dev.logpipe.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fake's merge must be RFC 7386, unlike the mock's own merge patch (which appends arrays). */
class TestingApplyPatchDispatcherTest {
  @Test
  void mergesObjectsReplacesArraysAndRemovesNulls() {
    Map<String, Object> patch = new HashMap<>();
    patch.put("spec", Map.of("replicas", 3, "args", List.of("b")));
    patch.put("gone", null);

    Object merged =
        TestingApplyPatchDispatcher.merge(
            Map.of(
                "spec", Map.of("replicas", 1, "args", List.of("a", "x"), "keep", true),
                "gone", "x",
                "status", Map.of("ready", 1)),
            patch);

    assertThat(merged)
        .isEqualTo(
            Map.of(
                "spec", Map.of("replicas", 3, "args", List.of("b"), "keep", true),
                "status", Map.of("ready", 1)));
  }
}
