package dev.logpipe.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logpipe.worker.config.LogTableSchema;
import org.junit.jupiter.api.Test;

class StorageOwnerTest {
  private final StorageOwner owner =
      new StorageOwner("6f1c2e9a-0b1d-4c4e-9a57-0d3c1f2b9e11", "team-a", "x-y", "default");

  @Test
  void theCommentNamesThePipelineAndReadsBack() {
    assertThat(owner.comment())
        .isEqualTo(
            "logpipe owner pipeline=team-a/x-y uid=6f1c2e9a-0b1d-4c4e-9a57-0d3c1f2b9e11"
                + " backend=default");
    assertThat(StorageOwner.parse(owner.comment())).contains(owner);
    // Every comment is a literal the DDL accepts.
    assertThat(LogTableSchema.comment(owner.comment())).startsWith("'logpipe owner");
    assertThat(LogTableSchema.comment(owner.databaseComment())).contains("namespace=team-a");
  }

  @Test
  void samePipelineMeansSameNamespaceAndNameWhateverTheUid() {
    var recreated = new StorageOwner("other-uid", "team-a", "x-y", "second");
    var neighbour = new StorageOwner(owner.uid(), "team-a", "x-y-z", "default");
    var lookalike = new StorageOwner(owner.uid(), "a", "x-y", "default");

    assertThat(owner.samePipeline(recreated)).isTrue();
    assertThat(owner.samePipeline(neighbour)).isFalse();
    assertThat(owner.samePipeline(lookalike)).isFalse();
    assertThat(owner.samePipeline(null)).isFalse();
  }

  @Test
  void commentsThatAreNotOursNameNoOwner() {
    assertThat(StorageOwner.parse(null)).isEmpty();
    assertThat(StorageOwner.parse("")).isEmpty();
    assertThat(StorageOwner.parse("orders of the shop, kept by the DBA")).isEmpty();
    assertThat(StorageOwner.parse(owner.comment() + " extra")).isEmpty();
  }

  @Test
  void aHostileUidCannotReachTheLiteral() {
    var odd = new StorageOwner("x' OR '1'='1", "team-a", "x-y", "default");
    assertThat(odd.uid()).isEqualTo("unknown");
    assertThat(LogTableSchema.comment(odd.comment())).doesNotContain("OR");
    assertThatThrownBy(() -> new StorageOwner("u", "team-a", "x-y", "back'end"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
