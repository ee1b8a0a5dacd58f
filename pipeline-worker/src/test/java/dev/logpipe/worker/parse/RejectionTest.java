package dev.logpipe.worker.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.model.Rejection.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile and broken input: every case yields a rejection with a reason, none throws. */
class RejectionTest {

  private static final LogParser JSON = parser("json");

  static Stream<Arguments> badJson() {
    return Stream.of(
        Arguments.of("empty", new byte[0], Reason.EMPTY),
        Arguments.of("blank", bytes("  \n\t "), Reason.EMPTY),
        Arguments.of(
            "lone continuation byte", new byte[] {'{', (byte) 0x80, '}'}, Reason.INVALID_UTF8),
        Arguments.of("overlong slash", new byte[] {(byte) 0xC0, (byte) 0xAF}, Reason.INVALID_UTF8),
        Arguments.of(
            "surrogate", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, Reason.INVALID_UTF8),
        Arguments.of(
            "above U+10FFFF",
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            Reason.INVALID_UTF8),
        Arguments.of(
            "truncated sequence", new byte[] {'"', (byte) 0xE2, (byte) 0x82}, Reason.INVALID_UTF8),
        Arguments.of(
            "latin-1 text",
            "{\"msg\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1),
            Reason.INVALID_UTF8),
        Arguments.of("broken json", bytes("{\"msg\": \"unterminated"), Reason.INVALID_JSON),
        Arguments.of("missing colon", bytes("{\"msg\" \"x\"}"), Reason.INVALID_JSON),
        Arguments.of(
            "trailing garbage", bytes("{\"msg\":\"x\"} {\"msg\":\"y\"}"), Reason.INVALID_JSON),
        Arguments.of("top-level array", bytes("[{\"msg\":\"x\"}]"), Reason.NOT_AN_OBJECT),
        Arguments.of("top-level number", bytes("42"), Reason.NOT_AN_OBJECT),
        Arguments.of("top-level string", bytes("\"hello\""), Reason.NOT_AN_OBJECT),
        Arguments.of("top-level null", bytes("null"), Reason.NOT_AN_OBJECT),
        Arguments.of("plain text", bytes("hello world"), Reason.INVALID_JSON),
        Arguments.of(
            "1000-deep objects",
            bytes("{\"a\":".repeat(1000) + "1" + "}".repeat(1000)),
            Reason.TOO_DEEP),
        Arguments.of(
            "1000-deep arrays",
            bytes("{\"a\":" + "[".repeat(1000) + "]".repeat(1000) + "}"),
            Reason.TOO_DEEP),
        Arguments.of("5 MB line", fiveMegabytes(), Reason.TOO_LARGE));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("badJson")
  void jsonRejects(String name, byte[] value, Reason expected) {
    ParseResult r = JSON.parse(value, 1);
    assertThat(r.isOk()).isFalse();
    assertThat(r.rejection().reason()).isEqualTo(expected);
    assertThat(r.rejection().detail()).isNotBlank();
  }

  @Test
  void nestingUpToTheLimitIsAccepted() {
    String line = "{\"a\":".repeat(32) + "1" + "}".repeat(32);
    ParseResult r = JSON.parse(bytes(line), 1);
    assertThat(r.isOk()).isTrue();
    assertThat(r.event().attributes()).containsKey(String.join(".", Collections.nCopies(32, "a")));
    String tooDeep = "{\"a\":".repeat(33) + "1" + "}".repeat(33);
    assertThat(JSON.parse(bytes(tooDeep), 1).rejection().reason()).isEqualTo(Reason.TOO_DEEP);
  }

  @Test
  void sizeLimitIsAConstructorParameter() {
    LogParser small =
        LogParser.forFormat(
            new PipelineConfig.Format("json", null, null, null),
            ParseLimits.DEFAULTS.withMaxRecordBytes(10));
    assertThat(small.parse(bytes("{\"msg\":\"0123456789\"}"), 1).rejection().reason())
        .isEqualTo(Reason.TOO_LARGE);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"logfmt", "text"})
  void otherFormatsRejectBadBytesToo(String format) {
    LogParser p = parser(format);
    assertThat(p.parse(new byte[] {'a', '=', (byte) 0xFF}, 1).rejection().reason())
        .isEqualTo(Reason.INVALID_UTF8);
    assertThat(p.parse(fiveMegabytes(), 1).rejection().reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(p.parse(bytes("\n"), 1).rejection().reason()).isEqualTo(Reason.EMPTY);
  }

  @Test
  void logfmtWithoutPairsIsRejected() {
    assertThat(parser("logfmt").parse(bytes("just words"), 1).rejection().reason())
        .isEqualTo(Reason.INVALID_LOGFMT);
  }

  @Test
  void validMultiByteUtf8IsAccepted() {
    assertThat(Utf8.firstInvalid("é ✓ 😀 \u07ff \uffff".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(-1);
    byte[] mixed = ("0123456789abcdef" + "é").getBytes(StandardCharsets.UTF_8);
    assertThat(Utf8.firstInvalid(mixed)).isEqualTo(-1);
    mixed[mixed.length - 1] = 'x';
    assertThat(Utf8.firstInvalid(mixed)).isEqualTo(mixed.length - 2);
  }

  private static byte[] fiveMegabytes() {
    byte[] big = new byte[5 * 1024 * 1024];
    Arrays.fill(big, (byte) 'a');
    big[0] = '{';
    return big;
  }

  private static LogParser parser(String type) {
    return LogParser.forFormat(new PipelineConfig.Format(type, null, null, null));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
