package dev.logpipe.devservices.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorStatusTest {

  @Test
  void codeAndStatusComeFromChdbsErrorText() {
    ChdbException unknownTable =
        new ChdbException(
            "Code: 60. DB::Exception: Unknown table expression identifier 'x' in scope SELECT * FROM x."
                + " (UNKNOWN_TABLE)");
    assertThat(unknownTable.code()).isEqualTo(60);
    assertThat(unknownTable.errorName()).isEqualTo("UNKNOWN_TABLE");
    assertThat(ErrorStatus.of(unknownTable)).isEqualTo(404);

    assertThat(
            ErrorStatus.of(
                new ChdbException(
                    "Code: 81. DB::Exception: Database x does not exist. (UNKNOWN_DATABASE)")))
        .isEqualTo(404);
    assertThat(
            ErrorStatus.of(
                new ChdbException(
                    "Code: 62. DB::Exception: Syntax error (SYNTAX_ERROR) (version 26.7.2.1)")))
        .isEqualTo(400);
    assertThat(
            ErrorStatus.of(
                new ChdbException("Code: 516. DB::Exception: bad (AUTHENTICATION_FAILED)")))
        .isEqualTo(403);
    assertThat(
            ErrorStatus.of(
                new ChdbException(
                    "Code: 241. DB::Exception: Memory limit (MEMORY_LIMIT_EXCEEDED)")))
        .isEqualTo(500);
  }

  @Test
  void fallsBackToTheCodeWhenTheNameIsMissing() {
    assertThat(ErrorStatus.of(new ChdbException("Code: 36. DB::Exception: bad value")))
        .isEqualTo(400);
    ChdbException noCode = new ChdbException("something broke");
    assertThat(noCode.code()).isEqualTo(1001);
    assertThat(ErrorStatus.of(noCode)).isEqualTo(500);
  }
}
