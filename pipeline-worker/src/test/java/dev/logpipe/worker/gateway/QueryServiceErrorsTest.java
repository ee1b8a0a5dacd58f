package dev.logpipe.worker.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.ClientException;
import com.clickhouse.client.api.ServerException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A ClickHouse that cannot be reached becomes a 503 whose message says what happened; anything else
 * stays the exception it is (a 500, logged once by the server).
 */
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
            QueryService.failure(new ClientException("Failed to get query response", timeout), 2)
                .getMessage())
        .isEqualTo(
            "the query ran into its 2 s execution limit; narrow the time range or the filters");
  }

  @Test
  void aServerThatDoesNotAnswerIsToldApartFromOneThatIsDown() {
    assertThat(
            QueryService.failure(
                    new ClientException("x", new SocketTimeoutException("Read timed out")), 10)
                .getMessage())
        .isEqualTo("ClickHouse did not answer within the 10 s query limit");
    assertThat(
            QueryService.failure(
                    new ClientException("x", new ConnectException("Connection refused")), 10)
                .getMessage())
        .isEqualTo("ClickHouse is unavailable");
  }

  @Test
  void errorsThatAreNotAboutReachingClickHouseAreNotTurnedInto503() {
    RuntimeException defect = new NullPointerException("row.getString(\"x\")");
    assertThat(QueryService.failure(defect, 10)).isSameAs(defect);
    RuntimeException misuse = new IllegalStateException("column ts is not a Long");
    assertThat(QueryService.failure(misuse, 10)).isSameAs(misuse);
    // Our SQL refused by ClickHouse (unknown table/column, syntax) is our defect, not an outage.
    ServerException rejected = new ServerException(60, "no table", 404, "q2");
    assertThat(QueryService.failure(rejected, 10)).isSameAs(rejected);
    assertThat(
            QueryService.failure(new ClientException("Failed to get query response", rejected), 10))
        .isNotInstanceOf(BackendUnavailable.class);
  }
}
