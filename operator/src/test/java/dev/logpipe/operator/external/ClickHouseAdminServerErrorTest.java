package dev.logpipe.operator.external;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.ServerException;
import org.junit.jupiter.api.Test;

class ClickHouseAdminServerErrorTest {
  @Test
  void keepsTheServersSentenceAndDropsTheQueryIdAndAnyHash() {
    ServerException e =
        new ServerException(
            497,
            "Code: 497. DB::Exception: default: Not enough privileges. To execute this query,"
                + " it's necessary to have the grant CREATE USER ON logpipe_capability_probe."
                + " (ACCESS_DENIED) (version 26.7.2.1)  (queryId= 8808206c-b36a)\n",
            500,
            "8808206c-b36a");
    assertThat(ClickHouseAdmin.serverError(e))
        .isEqualTo(
            "default: Not enough privileges. To execute this query, it's necessary to have the"
                + " grant CREATE USER ON logpipe_capability_probe. (ACCESS_DENIED) (version"
                + " 26.7.2.1)");
    ServerException syntax =
        new ServerException(
            62,
            "Code: 62. DB::Exception: Syntax error: failed at position 40 ('"
                + "79c4fac49f9e1e62aca36c042bc1a273c92637d960c3826702035b6d7a704ca3"
                + "'). (SYNTAX_ERROR)",
            400,
            "q");
    assertThat(ClickHouseAdmin.serverError(syntax))
        .isEqualTo("Syntax error: failed at position 40 ('****'). (SYNTAX_ERROR)");
  }
}
