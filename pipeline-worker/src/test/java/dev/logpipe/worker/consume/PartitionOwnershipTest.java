package dev.logpipe.worker.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.worker.model.LogEvent;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A late store outcome commits and retries only what is still owned under the same assignment. */
class PartitionOwnershipTest {
  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);

  private static Batch sealed(PartitionOwnership ownership) {
    Batch b = new Batch("t", "id1", null, 0);
    b.add(new LogEvent().timestampMs(1).source(0, 10));
    b.add(new LogEvent().timestampMs(1).source(1, 20));
    b.stampOwners(p -> ownership.of(new TopicPartition("t", p)));
    return b;
  }

  @Test
  void anOutcomeCommitsEverythingWhileBothPartitionsAreStillOwned() {
    PartitionOwnership ownership = new PartitionOwnership();
    ownership.gate(List.of(P0, P1), Long.MIN_VALUE);
    Batch b = sealed(ownership);
    assertThat(ownership.stillOwned("t", b)).containsExactlyInAnyOrder(P0, P1);
    assertThat(ownership.committable("t", b))
        .isEqualTo(
            Map.of(
                P0, new OffsetAndMetadata(11, "topicId=id1"),
                P1, new OffsetAndMetadata(21, "topicId=id1")));
  }

  @Test
  void aRevokedPartitionIsNeitherCommittedNorCountedAsOwned() {
    PartitionOwnership ownership = new PartitionOwnership();
    ownership.gate(List.of(P0, P1), Long.MIN_VALUE);
    Batch b = sealed(ownership);
    assertThat(ownership.release(List.of(P1))).containsExactly(P1);
    assertThat(ownership.stillOwned("t", b)).containsExactly(P0);
    assertThat(ownership.committable("t", b)).containsOnlyKeys(P0);
  }

  @Test
  void aPartitionRevokedAndAssignedAgainIsANewOwnershipTheOldBatchDoesNotSpeakFor() {
    PartitionOwnership ownership = new PartitionOwnership();
    ownership.gate(List.of(P0, P1), Long.MIN_VALUE);
    Batch b = sealed(ownership);
    ownership.release(List.of(P1));
    ownership.gate(List.of(P1), System.nanoTime()); // back to us: its position is resolved anew
    assertThat(ownership.stillOwned("t", b)).containsExactly(P0);
    assertThat(ownership.committable("t", b)).containsOnlyKeys(P0);
    assertThat(ownership.open()).isEmpty();
    assertThat(ownership.gatedDue(System.nanoTime())).hasSize(2);
  }
}
