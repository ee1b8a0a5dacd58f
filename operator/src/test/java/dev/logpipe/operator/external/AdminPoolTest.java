package dev.logpipe.operator.external;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.worker.config.Credentials;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminPoolTest {
  /** A client that only records whether it was closed. */
  private static final class TestingClient implements AutoCloseable {
    boolean closed;

    @Override
    public void close() {
      closed = true;
    }
  }

  private final List<TestingClient> created = new ArrayList<>();
  private final AdminPool<TestingClient> pool =
      new AdminPool<>(
          (url, credentials, secret) -> {
            TestingClient c = new TestingClient();
            created.add(c);
            return c;
          });

  @Test
  void aServerWithoutCredentialsSecretGetsOneSharedClient() {
    // A Redis without credentialsSecret: no Secret name. This threw a NullPointerException on the
    // second backend check (issue 13, finding 9: CacheReady=False OperatorError on every start).
    Credentials none = new Credentials(null, null);
    TestingClient first = pool.get("redis://127.0.0.1:6379", none, null);
    TestingClient second = pool.get("redis://127.0.0.1:6379", none, null);
    pool.get("redis://127.0.0.1:6380", none, null);

    assertThat(second).isSameAs(first);
    assertThat(created).hasSize(2);
    assertThat(created).noneMatch(c -> c.closed);
  }

  @Test
  void changedCredentialsCloseTheOldClientOfTheSameSecretOnly() {
    TestingClient old = pool.get("redis://r:6379", new Credentials("u", "old"), "ops/redis");
    TestingClient anonymous = pool.get("redis://r:6379", new Credentials(null, null), null);
    TestingClient other = pool.get("redis://r:6379", new Credentials("u", "x"), "ops/other");

    TestingClient renewed = pool.get("redis://r:6379", new Credentials("u", "new"), "ops/redis");

    assertThat(renewed).isNotSameAs(old);
    assertThat(old.closed).isTrue();
    assertThat(anonymous.closed).isFalse();
    assertThat(other.closed).isFalse();
  }
}
