package dev.logpipe.worker.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
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

  private static List<String> split(String body, String contentType, boolean jsonFormat) {
    return RequestBodies.split(body.getBytes(StandardCharsets.UTF_8), contentType, jsonFormat)
        .stream()
        .map(b -> new String(b, StandardCharsets.UTF_8))
        .toList();
  }
}
