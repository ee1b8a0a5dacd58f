package dev.logpipe.worker.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LevelNormalizerTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "trace, TRACE",
    "TRACE, TRACE",
    "verbose, TRACE",
    "Trace, TRACE",
    "debug, DEBUG",
    "DBG, DEBUG",
    "Debug, DEBUG",
    "dEbUg, DEBUG",
    "info, INFO",
    "INFO, INFO",
    "information, INFO",
    "notice, INFO",
    "Informational, INFO",
    "warn, WARN",
    "warning, WARN",
    "WARNING, WARN",
    "Warning, WARN",
    "err, ERROR",
    "error, ERROR",
    "ERROR, ERROR",
    "Error, ERROR",
    "severe, ERROR",
    "fatal, FATAL",
    "critical, FATAL",
    "crit, FATAL",
    "panic, FATAL",
    "emerg, FATAL",
    "emergency, FATAL",
    "alert, FATAL",
    "CRITICAL, FATAL",
    "0, FATAL",
    "1, FATAL",
    "2, FATAL",
    "3, ERROR",
    "4, WARN",
    "5, INFO",
    "6, INFO",
    "7, DEBUG",
    "10, TRACE",
    "20, DEBUG",
    "30, INFO",
    "40, WARN",
    "50, ERROR",
    "60, FATAL",
    "30.0, INFO",
    "' warn ', WARN",
    "[error], ERROR",
    "E, ERROR",
    "W, WARN",
    "I, INFO",
    "F, FATAL",
  })
  void normalises(String raw, String expected) {
    assertThat(LevelNormalizer.normalize(raw)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{0}] is unknown")
  @ValueSource(strings = {"", "  ", "loud", "8", "35", "100", "-1", "informative-but-long-word"})
  void unknown(String raw) {
    assertThat(LevelNormalizer.normalize(raw)).isNull();
  }

  @ParameterizedTest(name = "text sniff [{0}] -> {1}")
  @CsvSource({
    "ERROR, ERROR",
    "[warn], WARN",
    "warn:, WARN",
    "INFO:, INFO",
    "WARNING, WARN",
    "Fine, ",
    "error, ",
    "I, ",
    "200, ",
    "3, ",
    "Hello, ",
  })
  void textSniffingNeedsAMarkedWord(String word, String expected) {
    assertThat(TextLogParser.sniffLevel(word)).isEqualTo(expected);
  }
}
