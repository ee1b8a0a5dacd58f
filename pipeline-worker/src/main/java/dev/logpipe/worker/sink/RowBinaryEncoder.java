package dev.logpipe.worker.sink;

import dev.logpipe.worker.model.LogEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Appends {@link LogEvent}s as ClickHouse RowBinary rows for exactly {@link
 * dev.logpipe.worker.config.LogTableSchema#COLUMNS}, in that order, into one reusable growable
 * buffer. Strings are encoded straight from chars into the buffer (no intermediate byte[]).
 *
 * <p>Not thread-safe: one per batch being built. {@link #reset()} keeps the capacity.
 */
public final class RowBinaryEncoder {

  private final RowBinaryBuffer out;
  private int rows;

  public RowBinaryEncoder() {
    this(1 << 20);
  }

  public RowBinaryEncoder(int initialCapacity) {
    this.out = new RowBinaryBuffer(initialCapacity);
  }

  /** Appends one row; the column order mirrors LogTableSchema.COLUMNS. */
  public void encode(LogEvent e) {
    RowBinaryBuffer b = out;
    b.int64(e.timestampMs()); // timestamp DateTime64(3, 'UTC')
    b.string(e.service()); // service LowCardinality(String)
    b.string(e.level()); // level LowCardinality(String)
    b.string(e.message()); // message String
    b.string(e.host()); // host LowCardinality(String)
    b.string(e.traceId()); // trace_id String
    if (e.hasStatusCode()) { // status_code Nullable(UInt16)
      b.byte1(0);
      b.uint16(e.statusCode());
    } else {
      b.byte1(1);
    }
    if (e.hasLatency()) { // latency_ms Nullable(Float64)
      b.byte1(0);
      b.int64(Double.doubleToRawLongBits(e.latencyMs()));
    } else {
      b.byte1(1);
    }
    b.string(e.errorCode()); // error_code LowCardinality(String)
    Map<String, String> attributes =
        e.attributes(); // attributes Map(LowCardinality(String), String)
    b.varint(attributes.size());
    for (Map.Entry<String, String> a : attributes.entrySet()) {
      b.string(a.getKey());
      b.string(a.getValue());
    }
    b.byte1(Math.max(0, Math.min(LogEvent.MAX_SCORE, e.anomalyScore()))); // anomaly_score UInt8
    List<String> reasons = e.anomalyReasons(); // anomaly_reasons Array(LowCardinality(String))
    b.varint(reasons.size());
    for (int i = 0; i < reasons.size(); i++) {
      b.string(reasons.get(i));
    }
    b.int64(e.ingestedAtMs()); // ingested_at DateTime64(3, 'UTC')
    b.int32(e.partition()); // _partition UInt32
    b.int64(e.offset()); // _offset UInt64
    rows++;
  }

  /** Encoded bytes so far, for the batch byte limit. */
  public int size() {
    return out.size();
  }

  public int rows() {
    return rows;
  }

  /** The backing array; bytes {@code [0, size())} are the rows. Valid until the next call. */
  public byte[] array() {
    return out.array();
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(out.array(), out.size());
  }

  public void writeTo(OutputStream stream) throws IOException {
    stream.write(out.array(), 0, out.size());
  }

  /** Empties the buffer for the next batch, keeping its capacity. */
  public void reset() {
    out.reset();
    rows = 0;
  }
}
