package dev.logpipe.operator.external;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.worker.config.Credentials;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One client per server and credentials; a backend without a credentials Secret is one too. */
class AdminPoolTest {
  static final class Client implements AutoCloseable {
    boolean closed;

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void aServerWithoutACredentialsSecretGetsOneClient() {
    List<Client> created = new ArrayList<>();
    try (AdminPool<Client> pool =
        new AdminPool<>(
            (url, credentials, secret) -> {
              Client c = new Client();
              created.add(c);
              return c;
            })) {
      // The sandbox's Redis: no credentialsSecret, so no Secret name (it threw an NPE here).
      Client first = pool.get("redis://127.0.0.1:6379", new Credentials(null, null), null);
      assertThat(pool.get("redis://127.0.0.1:6379", new Credentials(null, null), null))
          .isSameAs(first);
      assertThat(created).hasSize(1);
      assertThat(first.closed).isFalse();
    }
  }

  @Test
  void changedCredentialsOfOneSecretCloseOnlyItsOldClient() {
    try (AdminPool<Client> pool = new AdminPool<>((url, credentials, secret) -> new Client())) {
      Client a = pool.get("http://ch:8123", new Credentials("a", "1"), "ns/a");
      Client other = pool.get("http://ch:8123", new Credentials("b", "1"), "ns/b");
      Client noSecret = pool.get("http://ch:8123", new Credentials("c", "1"), null);
      Client a2 = pool.get("http://ch:8123", new Credentials("a", "2"), "ns/a");
      assertThat(a2).isNotSameAs(a);
      assertThat(a.closed).isTrue();
      assertThat(other.closed).isFalse();
      assertThat(noSecret.closed).isFalse();
    }
  }
}
