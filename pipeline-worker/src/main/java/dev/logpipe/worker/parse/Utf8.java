package dev.logpipe.worker.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation, equivalent to a decoder with {@code CodingErrorAction.REPORT}: rejects
 * stray continuation bytes, overlong forms, surrogates (U+D800-DFFF) and code points above
 * U+10FFFF. ASCII runs are skipped eight bytes at a time, which is most of a typical log line.
 */
public final class Utf8 {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8() {}

  /** The index of the first byte of the first invalid sequence, or -1 when all is valid. */
  public static int firstInvalid(byte[] b) {
    int n = b.length;
    int i = 0;
    while (i < n) {
      if (i + 8 <= n && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
        i += 8;
        continue;
      }
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        i++;
        continue;
      }
      int len;
      int lo = 0x80;
      int hi = 0xBF;
      if (c < 0xC2) {
        return i; // continuation byte without a lead, or overlong 2-byte form
      } else if (c < 0xE0) {
        len = 2;
      } else if (c < 0xF0) {
        len = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
        hi = c == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
      } else if (c < 0xF5) {
        len = 4;
        lo = c == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
        hi = c == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be above U+10FFFF
      } else {
        return i;
      }
      if (i + len > n) {
        return i;
      }
      int second = b[i + 1] & 0xFF;
      if (second < lo || second > hi) {
        return i;
      }
      for (int k = 2; k < len; k++) {
        if ((b[i + k] & 0xC0) != 0x80) {
          return i;
        }
      }
      i += len;
    }
    return -1;
  }
}
