package dev.logpipe.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.model.CredentialRotation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogPipelineUpdateFilterTest {
  private final LogPipelineUpdateFilter filter = new LogPipelineUpdateFilter();

  private static LogPipeline pipeline(long generation, String rotation, String... finalizers) {
    LogPipeline p = new LogPipeline();
    p.getMetadata().setGeneration(generation);
    p.getMetadata().setFinalizers(List.of(finalizers));
    if (rotation != null) {
      p.getMetadata().setAnnotations(Map.of(CredentialRotation.REQUEST, rotation));
    }
    return p;
  }

  @Test
  void aRotationRequestStartsAReconciliationThoughTheGenerationStays() {
    assertThat(filter.accept(pipeline(3, "a"), pipeline(3, null))).isTrue();
    assertThat(filter.accept(pipeline(3, "b"), pipeline(3, "a"))).isTrue();
    assertThat(filter.accept(pipeline(3, null), pipeline(3, "a"))).isTrue();
  }

  @Test
  void keepsWhatTheGenerationAwareFilterLetThroughAndDropsStatusWrites() {
    assertThat(filter.accept(pipeline(4, "a"), pipeline(3, "a"))).isTrue();
    assertThat(filter.accept(pipeline(3, "a", "f"), pipeline(3, "a"))).isTrue();
    LogPipeline deleted = pipeline(3, "a", "f");
    deleted.getMetadata().setDeletionTimestamp("2026-12-03T19:00:00Z");
    assertThat(filter.accept(deleted, pipeline(3, "a", "f"))).isTrue();
    // Our own status patch, another annotation or a label: nothing to do.
    LogPipeline labelled = pipeline(3, "a", "f");
    labelled.getMetadata().setLabels(Map.of("team", "x"));
    assertThat(filter.accept(labelled, pipeline(3, "a", "f"))).isFalse();
  }
}
