package dev.logpipe.worker.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.ClientException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Readiness reasons and store errors name the cause, not the client library's wrapper. */
class RootCauseTest {

  @Test
  void theDeepestMessageIsTheCause() {
    assertThat(
            RootCause.of(
                new ClientException(
                    "Insert request failed (attempt: 4, duration: 5ms, queryId: null)",
                    new ConnectException("Connection refused"))))
        .isEqualTo("Connection refused");
  }

  @Test
  void aCauseWithoutMessageIsNamedByItsTypeAndOnlyTheFirstLineIsKept() {
    assertThat(RootCause.of(new RuntimeException("wrapped", new TimeoutException())))
        .isEqualTo("TimeoutException");
    assertThat(RootCause.of(new IllegalStateException("Code: 241. Memory limit\nstack trace")))
        .isEqualTo("Code: 241. Memory limit");
  }
}
