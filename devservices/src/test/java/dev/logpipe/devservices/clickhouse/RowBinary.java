package dev.logpipe.devservices.clickhouse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A minimal RowBinary encoder for the test table's column types. */
final class RowBinary {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  RowBinary dateTime64Millis(Instant instant) {
    return int64(instant.toEpochMilli());
  }

  RowBinary int64(long v) {
    for (int i = 0; i < 8; i++) {
      out.write((int) (v >>> (8 * i)));
    }
    return this;
  }

  RowBinary uint32(long v) {
    for (int i = 0; i < 4; i++) {
      out.write((int) (v >>> (8 * i)));
    }
    return this;
  }

  RowBinary uint16(int v) {
    out.write(v & 0xff);
    out.write(v >>> 8);
    return this;
  }

  RowBinary nullableUInt16(Integer v) {
    if (v == null) {
      out.write(1);
      return this;
    }
    out.write(0);
    out.write(v & 0xff);
    out.write(v >>> 8);
    return this;
  }

  RowBinary string(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    varint(bytes.length);
    out.writeBytes(bytes);
    return this;
  }

  RowBinary stringMap(Map<String, String> map) {
    varint(map.size());
    map.forEach(
        (k, v) -> {
          string(k);
          string(v);
        });
    return this;
  }

  RowBinary stringArray(List<String> values) {
    varint(values.size());
    values.forEach(this::string);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private void varint(long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
