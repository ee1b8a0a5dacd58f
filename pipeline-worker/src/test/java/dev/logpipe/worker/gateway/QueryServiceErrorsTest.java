package dev.logpipe.worker.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.ClientException;
import com.clickhouse.client.api.ServerException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/** A failed ClickHouse query becomes a 503 whose message says what happened. */
class QueryServiceErrorsTest {

  @Test
  void theExecutionLimitIsNamedWithAHintInsteadOfAGenericFailure() {
    ServerException timeout =
        new ServerException(
            ServerException.EXECUTION_TIMEOUT,
            "Code: 159. DB::Exception: Timeout exceeded: elapsed 2.0 seconds, maximum: 2",
            500,
            "q1");
    assertThat(
            QueryService.unavailable(
                    new ClientException("Failed to get query response", timeout), 2)
                .getMessage())
        .isEqualTo(
            "the query ran into its 2 s execution limit; narrow the time range or the filters");
  }

  @Test
  void aServerThatDoesNotAnswerIsToldApartFromOneThatIsDown() {
    assertThat(
            QueryService.unavailable(
                    new ClientException("x", new SocketTimeoutException("Read timed out")), 10)
                .getMessage())
        .isEqualTo("ClickHouse did not answer within the 10 s query limit");
    assertThat(
            QueryService.unavailable(
                    new ClientException("x", new ConnectException("Connection refused")), 10)
                .getMessage())
        .isEqualTo("ClickHouse is unavailable");
    assertThat(
            QueryService.unavailable(new ServerException(60, "no table", 404, "q2"), 10)
                .getMessage())
        .isEqualTo("ClickHouse rejected the query (code 60)");
  }
}
