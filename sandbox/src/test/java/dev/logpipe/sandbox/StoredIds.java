package dev.logpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.operator.model.PipelineNames;
import java.time.Duration;

/**
 * Exact counts of a pipeline's table against what {@link SequencedLogProducer} sent: every event
 * carries its sequence number in {@code trace_id}, so loss and duplicates are counted by id.
 */
final class StoredIds {
  private StoredIds() {}

  /** count() == uniqExact(id) == produced, the ids exactly 0..produced-1; no late extras. */
  static void assertExactlyOnce(ClickHouseStats clickhouse, PipelineNames names, long produced) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> rows(clickhouse, names) >= produced);
    // A late duplicate would land after the count reached produced: it must stay there.
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(10))
        .until(() -> rows(clickhouse, names) == produced);
    String[] f =
        clickhouse
            .query(
                "SELECT count(), uniqExact(trace_id), countIf(toUInt64OrNull(trace_id) IS NULL),"
                    + " min(toUInt64OrZero(trace_id)), max(toUInt64OrZero(trace_id)) FROM "
                    + table(names))
            .strip()
            .split("\t");
    String missing =
        clickhouse.query(
            "SELECT groupArray(20)(number) FROM numbers("
                + produced
                + ") WHERE toString(number) NOT IN (SELECT trace_id FROM "
                + table(names)
                + ")");
    System.out.printf(
        "exactly once: produced %,d, count %s, uniqExact %s, lost %d, duplicates %d%n",
        produced,
        f[0],
        f[1],
        produced - Long.parseLong(f[1]),
        Long.parseLong(f[0]) - Long.parseLong(f[1]));
    assertThat(missing.strip()).as("ids produced but not stored (first 20)").isEqualTo("[]");
    assertThat(Long.parseLong(f[0])).as("count()").isEqualTo(produced);
    assertThat(Long.parseLong(f[1])).as("uniqExact(trace_id)").isEqualTo(produced);
    assertThat(Long.parseLong(f[2])).as("ids that are not numbers").isZero();
    assertThat(Long.parseLong(f[3])).as("smallest id").isZero();
    assertThat(Long.parseLong(f[4])).as("largest id").isEqualTo(produced - 1);
  }

  /** How many of the ids 0..last are stored. */
  static long storedUpTo(ClickHouseStats clickhouse, PipelineNames names, long last) {
    String n =
        clickhouse.query(
            "SELECT count() FROM " + table(names) + " WHERE toUInt64OrZero(trace_id) <= " + last);
    return n == null ? -1 : Long.parseLong(n.strip());
  }

  static long rows(ClickHouseStats clickhouse, PipelineNames names) {
    return clickhouse.of(names.database(), names.table()).rows();
  }

  static String table(PipelineNames names) {
    return "`" + names.database() + "`.`" + names.table() + "`";
  }
}
