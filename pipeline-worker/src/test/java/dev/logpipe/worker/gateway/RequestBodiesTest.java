package dev.logpipe.worker.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** How an ingest body becomes records, per Content-Type and pipeline format. */
class RequestBodiesTest {

  @Test
  void aJsonPipelineTakesArraysAndNdjsonWithoutAContentType() {
    assertThat(split("[{\"a\":1}, {\"b\":[2]}, \"plain\"]", null, true))
        .containsExactly("{\"a\":1}", "{\"b\":[2]}", "plain");
    assertThat(split("{\"a\":1}\r\n\n  \n{\"b\":2}", null, true))
        .containsExactly("{\"a\":1}", "{\"b\":2}");
  }

  @Test
  void textFormatsReadLinesEvenWhenALineStartsWithABracket() {
    assertThat(split("[warn] disk almost full\n[1,2] odd\nplain line\n", null, false))
        .containsExactly("[warn] disk almost full", "[1,2] odd", "plain line");
    assertThat(split("[warn] a\n", "text/plain; charset=utf-8", true)).containsExactly("[warn] a");
    assertThat(split("[1]\n[2]\n", "application/x-ndjson", true)).containsExactly("[1]", "[2]");
  }

  @Test
  void applicationJsonMakesABracketBodyAnArrayForEveryFormat() {
    assertThat(split("[\"level=info msg=a\", \"level=warn msg=b\"]", "Application/JSON", false))
        .containsExactly("level=info msg=a", "level=warn msg=b");
    assertThatThrownBy(() -> split("[warn] disk full", "application/json", false))
        .isInstanceOf(BadRequest.class)
        .extracting(e -> ((BadRequest) e).parameter())
        .isEqualTo("body");
  }

  @Test
  void aGzipHeaderOnABodyThatIsNotGzipIsABadRequestNamingTheProblem() {
    byte[] plain = "{\"msg\":\"not compressed\"}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> RequestBodies.read(new ByteArrayInputStream(plain), "gzip", 1 << 20))
        .isInstanceOf(BadRequest.class)
        .hasMessageContaining("Content-Encoding is gzip but the body is not valid gzip")
        .extracting(e -> ((BadRequest) e).parameter())
        .isEqualTo("body");
  }

  @Test
  void aTruncatedGzipBodyIsABadRequestNamingTheTruncation() throws Exception {
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(whole)) {
      for (int i = 0; i < 1_000; i++) {
        gz.write(("{\"msg\":\"line " + i + "\"}\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] cut = Arrays.copyOf(whole.toByteArray(), whole.size() / 2);
    assertThatThrownBy(() -> RequestBodies.read(new ByteArrayInputStream(cut), "gzip", 1 << 20))
        .isInstanceOf(BadRequest.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(
            () -> RequestBodies.read(new ByteArrayInputStream(new byte[0]), "gzip", 1 << 20))
        .isInstanceOf(BadRequest.class);
    // The intact body still reads.
    assertThat(RequestBodies.read(new ByteArrayInputStream(whole.toByteArray()), "GZIP", 1 << 20))
        .hasSizeGreaterThan(10_000);
  }

  private static List<String> split(String body, String contentType, boolean jsonFormat) {
    return RequestBodies.split(body.getBytes(StandardCharsets.UTF_8), contentType, jsonFormat)
        .stream()
        .map(b -> new String(b, StandardCharsets.UTF_8))
        .toList();
  }
}
