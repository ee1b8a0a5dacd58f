package dev.logpipe.devservices.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompressedBlocksTest {

  @Test
  void writerFramesBlocksThatTheReaderVerifiesAndInflates() throws IOException {
    byte[] data = new byte[(int) (2.5 * CompressedBlocks.BLOCK_BYTES)];
    Random random = new Random(7);
    for (int i = 0; i < data.length; i++) {
      data[i] = i % 64 == 0 ? (byte) random.nextInt() : (byte) ('a' + i % 26);
    }
    ByteArrayOutputStream framed = new ByteArrayOutputStream();
    CompressedBlocks.Writer writer = new CompressedBlocks.Writer(framed);
    writer.writeBlocks(ByteBuffer.allocateDirect(data.length).put(data).flip());
    writer.write("tail".getBytes(), 0, 4);
    writer.flush();

    byte[] bytes = framed.toByteArray();
    assertThat(bytes[16]).isEqualTo(CompressedBlocks.METHOD_LZ4);
    assertThat(bytes.length).isLessThan(data.length);
    byte[] back = new CompressedBlocks.Reader(new ByteArrayInputStream(bytes)).readAllBytes();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(data);
    expected.writeBytes("tail".getBytes());
    assertThat(back).isEqualTo(expected.toByteArray());
  }

  @Test
  void readerRejectsACorruptBlock() throws IOException {
    ByteArrayOutputStream framed = new ByteArrayOutputStream();
    CompressedBlocks.Writer writer = new CompressedBlocks.Writer(framed);
    writer.write("hello hello hello".getBytes(), 0, 17);
    writer.flush();
    byte[] bytes = framed.toByteArray();
    bytes[bytes.length - 1] ^= 1;
    assertThatThrownBy(
            () -> new CompressedBlocks.Reader(new ByteArrayInputStream(bytes)).readAllBytes())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("checksum");
  }
}
