package dev.logpipe.worker.bench;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import dev.logpipe.worker.config.LogTableSchema;
import dev.logpipe.worker.sink.BatchLedger;
import java.util.List;
import java.util.Map;

/**
 * What the batch ledger costs. The worker cannot run without it (it is the exactly-once design), so
 * its share is measured instead: how many ledger inserts a worker round made (from the ledger table
 * itself), times the CPU one ledger write of the same shape costs (worker JVM + ClickHouse,
 * measured here on its own), against the round's whole CPU.
 */
final class LedgerCost {
  /** Ledger inserts and data inserts (batches) of one worker round. */
  record Writes(long ledgerInserts, long batches) {}

  private LedgerCost() {}

  /**
   * Counts a finished round's writes: every batch (one token) wrote its unconfirmed rows before its
   * insert (one ledger insert, carrying the previous batch's confirmation), plus one final insert
   * of the last confirmation when the worker stopped. Counted by token: merges of the ledger
   * (ReplacingMergeTree) keep only the confirmed row of a range.
   */
  static Writes writes(Client client, String database, String table) {
    List<GenericRecord> rows =
        client.queryAll(
            "SELECT uniqExact(token) AS batches FROM "
                + LogTableSchema.qualified(database, table + LogTableSchema.LEDGER_SUFFIX));
    long batches = rows.get(0).getLong("batches");
    return new Writes(batches + 1, batches);
  }

  /**
   * µs of CPU (this JVM + ClickHouse) per ledger write shaped like the worker's: one new entry of
   * two partition ranges plus the previous entry's confirmation (four rows).
   */
  static double microsPerWrite(
      Client client, String database, String table, ProcessCpu cpu, int writes) throws Exception {
    BatchLedger ledger = new BatchLedger(client, database, table, 60);
    String topicId = "ledger-cost-topic";
    BatchLedger.Entry previous = null;
    for (int i = 0; i < 20; i++) { // warm-up: the client's first requests cost more
      previous = write(ledger, topicId, i, previous);
    }
    Map<String, Long> before = cpu.read();
    for (int i = 20; i < 20 + writes; i++) {
      previous = write(ledger, topicId, i, previous);
    }
    Map<String, Long> after = cpu.read();
    double total = 0;
    for (double micros : ProcessCpu.microsPerEvent(before, after, writes).values()) {
      total += micros;
    }
    return total;
  }

  private static BatchLedger.Entry write(
      BatchLedger ledger, String topicId, int i, BatchLedger.Entry previous) throws Exception {
    long first = i * 25_000L;
    BatchLedger.Entry entry =
        new BatchLedger.Entry(
            topicId,
            "token-" + i,
            List.of(
                new BatchLedger.Range(0, first, first + 24_999),
                new BatchLedger.Range(1, first, first + 24_999)),
            false);
    ledger.write(previous == null ? List.of(entry) : List.of(previous.confirmed(), entry));
    return entry;
  }
}
