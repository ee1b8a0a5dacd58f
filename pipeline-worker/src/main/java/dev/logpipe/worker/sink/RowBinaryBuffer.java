package dev.logpipe.worker.sink;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable little-endian byte buffer with the RowBinary primitives. */
final class RowBinaryBuffer {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
  private static final int MAX_SCRATCH = 1 << 16;

  private byte[] buf;
  private int pos;

  /** Chars of the string being encoded; grows to the longest string seen. */
  private char[] scratch = new char[256];

  RowBinaryBuffer(int initialCapacity) {
    buf = new byte[Math.max(64, initialCapacity)];
  }

  int size() {
    return pos;
  }

  byte[] array() {
    return buf;
  }

  void reset() {
    pos = 0;
  }

  void byte1(int v) {
    ensure(1);
    buf[pos++] = (byte) v;
  }

  void uint16(int v) {
    ensure(2);
    buf[pos++] = (byte) v;
    buf[pos++] = (byte) (v >>> 8);
  }

  void int32(int v) {
    ensure(4);
    INTS.set(buf, pos, v);
    pos += 4;
  }

  void int64(long v) {
    ensure(8);
    LONGS.set(buf, pos, v);
    pos += 8;
  }

  /** Unsigned LEB128, as RowBinary uses for lengths and counts. */
  void varint(long v) {
    ensure(10);
    putVarint(v);
  }

  private void putVarint(long v) {
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  /**
   * LEB128 byte length then UTF-8. The length prefix is reserved for the worst case (3 bytes per
   * char) and the bytes are shifted down if the real length needs fewer prefix bytes, so each char
   * is read once. Unpaired surrogates become '?', as String.getBytes does.
   */
  void string(String s) {
    int chars = s.length();
    long worst = 3L * chars;
    if (worst > MAX_ARRAY) {
      throw new IllegalArgumentException("string too long to encode: " + chars + " chars");
    }
    if (chars > MAX_SCRATCH) {
      // Rare huge values: a one-off byte[] beats keeping a huge scratch array alive.
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      varint(utf8.length);
      ensure(utf8.length);
      System.arraycopy(utf8, 0, buf, pos, utf8.length);
      pos += utf8.length;
      return;
    }
    int reserved = varintSize(worst);
    ensure(reserved + (int) worst);
    if (scratch.length < chars) {
      scratch = new char[Math.max(chars, Math.min(MAX_SCRATCH, 2 * scratch.length))];
    }
    char[] c = scratch;
    s.getChars(0, chars, c, 0); // a vectorised copy, unlike a charAt loop
    int start = pos + reserved;
    byte[] b = buf;
    // Optimistic ASCII pass without branches; redone properly if any char was not ASCII.
    int seen = 0;
    for (int i = 0; i < chars; i++) {
      seen |= c[i];
      b[start + i] = (byte) c[i];
    }
    int p = seen < 0x80 ? start + chars : encodeNonAscii(c, chars, b, start);
    int len = p - start;
    int actual = varintSize(len);
    if (actual < reserved) {
      System.arraycopy(b, start, b, pos + actual, len);
    }
    putVarint(len); // space was ensured above: actual <= reserved
    pos += len;
  }

  private static int encodeNonAscii(char[] s, int chars, byte[] b, int p) {
    for (int i = 0; i < chars; i++) {
      char c = s[i];
      if (c < 0x80) {
        b[p++] = (byte) c;
      } else if (c < 0x800) {
        b[p++] = (byte) (0xC0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < chars
          && Character.isLowSurrogate(s[i + 1])) {
        int cp = Character.toCodePoint(c, s[++i]);
        b[p++] = (byte) (0xF0 | (cp >> 18));
        b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        b[p++] = '?';
      } else {
        b[p++] = (byte) (0xE0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return p;
  }

  static int varintSize(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  private void ensure(int extra) {
    long need = (long) pos + extra;
    if (need <= buf.length) {
      return;
    }
    if (need > MAX_ARRAY) {
      throw new IllegalStateException("RowBinary buffer would exceed 2 GiB; cut batches smaller");
    }
    buf = Arrays.copyOf(buf, (int) Math.min(MAX_ARRAY, Math.max(need, 2L * buf.length)));
  }
}
