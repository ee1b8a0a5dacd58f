package dev.logpipe.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MergePatchesTest {
  @Test
  void rfc7386ReplacesArraysMergesObjectsAndNullRemoves() {
    Map<String, Object> patch = new HashMap<>();
    patch.put("a", List.of(3));
    patch.put("b", Map.of("y", 2));
    patch.put("c", null);
    Object merged =
        MergePatches.json(Map.of("a", List.of(1, 2), "b", Map.of("x", 1), "c", 1), patch);
    assertThat(merged).isEqualTo(Map.of("a", List.of(3), "b", Map.of("x", 1, "y", 2)));
  }

  @Test
  void strategicMergesNamedListsAndDropsDirectives() {
    Map<String, Object> target =
        Map.of("containers", List.of(Map.of("name", "w", "image", "a", "args", List.of("x"))));
    Map<String, Object> patch =
        Map.of(
            "$setElementOrder/containers", List.of(Map.of("name", "w")),
            "containers", List.of(Map.of("name", "w", "image", "b")));
    assertThat(MergePatches.strategic(target, patch))
        .isEqualTo(
            Map.of("containers", List.of(Map.of("name", "w", "image", "b", "args", List.of("x")))));
  }
}
