package dev.logpipe.sandbox.tenancy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

/** Logins to the real Redis for the tenancy checks: as its default user, or as an ACL user. */
public final class RedisLogins {
  private RedisLogins() {}

  /**
   * Puts a password on Redis's {@code default} user, as a shared Redis must have (or the
   * per-pipeline ACL users isolate nothing); connections already open stay logged in.
   */
  public static void requirePassword(String url, String password) {
    RedisClient client = RedisClient.create(url);
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      c.sync().configSet("requirepass", password);
    } finally {
      client.shutdown();
    }
  }

  /**
   * GET {@code key} as {@code user}: the value ("null" when absent), or the server's refusal (e.g.
   * {@code NOPERM ...}, {@code WRONGPASS ...}) as text.
   */
  public static String get(String url, String user, String password, String key) {
    RedisURI base = RedisURI.create(url);
    RedisClient client =
        RedisClient.create(
            RedisURI.Builder.redis(base.getHost(), base.getPort())
                .withAuthentication(user, password)
                .build());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      return String.valueOf(c.sync().get(key));
    } catch (RedisException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return root.getMessage();
    } finally {
      client.shutdown();
    }
  }
}
