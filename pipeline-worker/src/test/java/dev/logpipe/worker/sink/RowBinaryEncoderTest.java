package dev.logpipe.worker.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.worker.model.LogEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowBinaryEncoderTest {

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  @Test
  void encodesEveryColumnInSchemaOrder() {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("k", "v");
    LogEvent e =
        new LogEvent()
            .timestampMs(1)
            .service("s")
            .level("INFO")
            .message("hé")
            .statusCode(200)
            .attributes(attributes)
            .ingestedAtMs(2)
            .source(3, 4);
    e.addAnomaly("r", 50);
    RowBinaryEncoder enc = new RowBinaryEncoder(16);
    enc.encode(e);
    byte[] expected =
        bytes(
            1, 0, 0, 0, 0, 0, 0, 0, // timestamp DateTime64(3) = Int64 LE millis
            1, 's', // service
            4, 'I', 'N', 'F', 'O', // level
            3, 'h', 0xC3, 0xA9, // message, length in UTF-8 bytes
            0, // host ""
            0, // trace_id ""
            0, 200, 0, // status_code Nullable(UInt16): not null, 200 LE
            1, // latency_ms Nullable(Float64): null
            0, // error_code ""
            1, 1, 'k', 1, 'v', // attributes Map: count, key, value
            50, // anomaly_score UInt8
            1, 1, 'r', // anomaly_reasons Array: count, element
            2, 0, 0, 0, 0, 0, 0, 0, // ingested_at
            3, 0, 0, 0, // _partition UInt32
            4, 0, 0, 0, 0, 0, 0, 0); // _offset UInt64
    assertThat(enc.toByteArray()).containsExactly(expected);
    assertThat(enc.size()).isEqualTo(expected.length);
    assertThat(enc.rows()).isEqualTo(1);
  }

  @Test
  void nullableFloatIsLittleEndianIeee754() {
    RowBinaryEncoder enc = new RowBinaryEncoder(16);
    enc.encode(new LogEvent().latencyMs(1.5));
    byte[] all = enc.toByteArray();
    // timestamp(8) + 5 empty-ish strings: service "", level "INFO"(5), message, host, trace (1
    // each)
    int at = 8 + 1 + 5 + 1 + 1 + 1 + 1; // then status null (1 byte) precedes latency
    assertThat(all[at - 1]).isEqualTo((byte) 1);
    assertThat(java.util.Arrays.copyOfRange(all, at, at + 9))
        .containsExactly(bytes(0, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F));
  }

  @Test
  void stringsMatchTheJdkUtf8EncoderWithLeb128Lengths() {
    String[] samples = {
      "",
      "a".repeat(42),
      "a".repeat(43), // worst case needs 2 prefix bytes, real length 1: shifted down
      "a".repeat(127),
      "a".repeat(128),
      "a".repeat(20_000),
      "b".repeat(70_000) + "é",
      "é".repeat(70),
      "mixed ascii, é, ✓, 😀 and \u0000",
      "lone \ud800 surrogate",
    };
    for (String s : samples) {
      RowBinaryBuffer buf = new RowBinaryBuffer(8);
      buf.string(s);
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      long len = utf8.length;
      while ((len & ~0x7FL) != 0) {
        expected.write((int) ((len & 0x7F) | 0x80));
        len >>>= 7;
      }
      expected.write((int) len);
      expected.writeBytes(utf8);
      assertThat(java.util.Arrays.copyOf(buf.array(), buf.size()))
          .as("%s", s.length() > 40 ? s.substring(0, 40) + "..." : s)
          .containsExactly(expected.toByteArray());
    }
  }

  @Test
  void resetKeepsNothingAndBufferGrows() {
    RowBinaryEncoder enc = new RowBinaryEncoder(16);
    for (int i = 0; i < 1000; i++) {
      enc.encode(new LogEvent().message("message number " + i));
    }
    assertThat(enc.rows()).isEqualTo(1000);
    int oneRow = enc.size() / 1000;
    assertThat(oneRow).isPositive();
    enc.reset();
    assertThat(enc.size()).isZero();
    assertThat(enc.rows()).isZero();
  }
}
