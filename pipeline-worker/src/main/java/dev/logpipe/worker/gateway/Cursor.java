package dev.logpipe.worker.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * Keyset paging position: the (timestamp, partition, offset) of the last row returned, opaque to
 * clients. Rows are ordered by that tuple descending, so the next page is "strictly less than".
 */
public record Cursor(long timestampMs, int partition, long offset) {

  public String encode() {
    String raw = timestampMs + ":" + partition + ":" + offset;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
  }

  public static Cursor decode(String text) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
      String[] parts = raw.split(":");
      if (parts.length != 3) {
        throw new IllegalArgumentException("three parts expected");
      }
      Cursor c =
          new Cursor(
              Long.parseLong(parts[0]), Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
      if (c.partition < 0 || c.offset < 0) {
        throw new IllegalArgumentException("negative position");
      }
      // No row has a time outside the range TimeRange accepts; such a time would otherwise be
      // formatted for ClickHouse as a year it cannot read (or, before year 1, without its sign).
      if (c.timestampMs < TimeRange.MIN.toEpochMilli()
          || c.timestampMs > TimeRange.MAX.toEpochMilli()) {
        throw new IllegalArgumentException("time out of range");
      }
      return c;
    } catch (IllegalArgumentException e) {
      throw new BadRequest("cursor", "cursor is not one this API returned");
    }
  }

  void appendCondition(StringBuilder sql, Map<String, Object> params) {
    sql.append(
        " AND (timestamp, _partition, _offset) < ({c_ts:DateTime64(3, 'UTC')}, {c_p:UInt32}, {c_o:UInt64})");
    params.put("c_ts", Sql.timestamp(Instant.ofEpochMilli(timestampMs)));
    params.put("c_p", partition);
    params.put("c_o", offset);
  }
}
