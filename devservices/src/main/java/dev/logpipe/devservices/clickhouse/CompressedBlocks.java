package dev.logpipe.devservices.clickhouse;

import com.github.luben.zstd.Zstd;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;

/**
 * ClickHouse's native compressed-block framing, used over HTTP with {@code compress=1} (responses)
 * and {@code decompress=1} (request bodies): repeated blocks of [CityHash128 of the rest][method
 * byte][UInt32 LE size of header + data][UInt32 LE uncompressed size][data].
 */
final class CompressedBlocks {
  static final int CHECKSUM_BYTES = 16;
  static final int HEADER_BYTES = 9;
  static final byte METHOD_NONE = 0x02;
  static final byte METHOD_LZ4 = (byte) 0x82;
  static final byte METHOD_ZSTD = (byte) 0x90;

  /** ClickHouse's default max_compress_block_size. */
  static final int BLOCK_BYTES = 1 << 20;

  private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();

  private CompressedBlocks() {}

  /** Compresses whatever is written into LZ4 blocks of at most 1 MiB; flush ends a block. */
  static final class Writer extends OutputStream {
    private final OutputStream out;
    private final LZ4Compressor compressor = LZ4.fastCompressor();
    private final byte[] block;
    private final ByteBuffer blockBuffer;
    private final byte[] pending = new byte[64 * 1024];
    private int pendingLength;

    Writer(OutputStream out) {
      this.out = out;
      this.block =
          new byte[CHECKSUM_BYTES + HEADER_BYTES + compressor.maxCompressedLength(BLOCK_BYTES)];
      this.blockBuffer = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Compresses straight from {@code src} (e.g. native memory), in blocks of up to 1 MiB. */
    void writeBlocks(ByteBuffer src) throws IOException {
      flushPending();
      int position = src.position();
      int end = src.limit();
      while (position < end) {
        int length = Math.min(BLOCK_BYTES, end - position);
        writeBlock(src, position, length);
        position += length;
      }
      src.position(end);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len >= pending.length) {
        writeBlocks(ByteBuffer.wrap(b, off, len));
        return;
      }
      if (pendingLength + len > pending.length) {
        flushPending();
      }
      System.arraycopy(b, off, pending, pendingLength, len);
      pendingLength += len;
    }

    @Override
    public void flush() throws IOException {
      flushPending();
      out.flush();
    }

    @Override
    public void close() throws IOException {
      flushPending();
      out.close();
    }

    private void flushPending() throws IOException {
      if (pendingLength > 0) {
        int length = pendingLength;
        pendingLength = 0;
        writeBlock(ByteBuffer.wrap(pending), 0, length);
      }
    }

    private void writeBlock(ByteBuffer src, int offset, int length) throws IOException {
      int dataStart = CHECKSUM_BYTES + HEADER_BYTES;
      int compressed =
          compressor.compress(
              src, offset, length, blockBuffer, dataStart, block.length - dataStart);
      block[CHECKSUM_BYTES] = METHOD_LZ4;
      blockBuffer.putInt(CHECKSUM_BYTES + 1, HEADER_BYTES + compressed);
      blockBuffer.putInt(CHECKSUM_BYTES + 5, length);
      long[] checksum = CityHash128.hash(block, CHECKSUM_BYTES, HEADER_BYTES + compressed);
      blockBuffer.putLong(0, checksum[0]);
      blockBuffer.putLong(8, checksum[1]);
      out.write(block, 0, dataStart + compressed);
    }
  }

  /** Reads a request body sent with {@code decompress=1}; verifies every block's checksum. */
  static final class Reader extends InputStream {
    private final InputStream in;
    private final LZ4FastDecompressor decompressor = LZ4.fastDecompressor();
    private final byte[] header = new byte[CHECKSUM_BYTES + HEADER_BYTES];
    private byte[] compressed = new byte[0];
    private byte[] block = new byte[0];
    private int position;
    private int limit;

    Reader(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      if (position == limit && !nextBlock()) {
        return -1;
      }
      return block[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (position == limit && !nextBlock()) {
        return -1;
      }
      int n = Math.min(len, limit - position);
      System.arraycopy(block, position, b, off, n);
      position += n;
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }

    private boolean nextBlock() throws IOException {
      int first = in.readNBytes(header, 0, header.length);
      if (first == 0) {
        return false;
      }
      if (first < header.length) {
        throw new EOFException("truncated compressed block header");
      }
      ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
      byte method = header[CHECKSUM_BYTES];
      int sizeWithHeader = h.getInt(CHECKSUM_BYTES + 1);
      int uncompressed = h.getInt(CHECKSUM_BYTES + 5);
      if (sizeWithHeader < HEADER_BYTES || uncompressed < 0 || sizeWithHeader > (256 << 20)) {
        throw new IOException("corrupt compressed block header");
      }
      int dataLength = sizeWithHeader - HEADER_BYTES;
      if (compressed.length < sizeWithHeader) {
        compressed = new byte[sizeWithHeader];
      }
      System.arraycopy(header, CHECKSUM_BYTES, compressed, 0, HEADER_BYTES);
      if (in.readNBytes(compressed, HEADER_BYTES, dataLength) < dataLength) {
        throw new EOFException("truncated compressed block");
      }
      long[] checksum = CityHash128.hash(compressed, 0, sizeWithHeader);
      if (checksum[0] != h.getLong(0) || checksum[1] != h.getLong(8)) {
        throw new IOException("compressed block checksum mismatch");
      }
      if (block.length < uncompressed) {
        block = new byte[uncompressed];
      }
      if (method == METHOD_LZ4) {
        decompressor.decompress(compressed, HEADER_BYTES, block, 0, uncompressed);
      } else if (method == METHOD_ZSTD) {
        long n =
            Zstd.decompressByteArray(block, 0, uncompressed, compressed, HEADER_BYTES, dataLength);
        if (Zstd.isError(n) || n != uncompressed) {
          throw new IOException("cannot decompress ZSTD block: " + Zstd.getErrorName(n));
        }
      } else if (method == METHOD_NONE) {
        System.arraycopy(compressed, HEADER_BYTES, block, 0, uncompressed);
      } else {
        throw new IOException(
            String.format(
                "unknown compression method 0x%02x (LZ4, ZSTD and none are supported)", method));
      }
      position = 0;
      limit = uncompressed;
      return limit > 0 || nextBlock();
    }
  }
}
