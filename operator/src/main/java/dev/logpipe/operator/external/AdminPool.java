package dev.logpipe.operator.external;

import dev.logpipe.worker.config.Credentials;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One admin client per server and credentials, shared by every pipeline of a backend: client-v2 and
 * lettuce clients hold connection pools and threads, so one per reconciliation would leak. When the
 * credentials in a Secret change, the client for the old ones is closed.
 */
public final class AdminPool<T extends AutoCloseable> implements AutoCloseable {
  /**
   * Creates a client; {@code secretName} is namespace/name of the credentials' Secret, or null for
   * a server that needs no credentials (a Redis without credentialsSecret).
   */
  @FunctionalInterface
  public interface Factory<T> {
    T create(String url, Credentials credentials, String secretName);
  }

  private record Key(String url, String user, int passwordHash, String secretName) {}

  private final Factory<T> factory;
  private final Map<Key, T> clients = new ConcurrentHashMap<>();

  public AdminPool(Factory<T> factory) {
    this.factory = factory;
  }

  public T get(String url, Credentials credentials, String secretName) {
    Key key =
        new Key(url, credentials.user(), Objects.hashCode(credentials.password()), secretName);
    T existing = clients.get(key);
    if (existing != null) {
      return existing;
    }
    T created = clients.computeIfAbsent(key, k -> factory.create(url, credentials, secretName));
    // Credentials from this Secret changed: close the client for the old ones. Other backends on
    // the same server with other Secrets keep theirs.
    clients
        .keySet()
        .removeIf(
            k ->
                k.url().equals(url)
                    && Objects.equals(k.secretName(), secretName)
                    && !k.equals(key)
                    && closeQuietly(k));
    return created;
  }

  private boolean closeQuietly(Key key) {
    T client = clients.get(key);
    try {
      if (client != null) {
        client.close();
      }
    } catch (Exception e) {
      // A client that fails to close holds nothing we can release anyway.
    }
    return true;
  }

  @Override
  public void close() {
    clients.keySet().forEach(this::closeQuietly);
    clients.clear();
  }
}
