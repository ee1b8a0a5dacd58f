package dev.logpipe.operator.external;

import dev.logpipe.operator.status.Reason;
import dev.logpipe.worker.cache.RedisCommandsUsed;
import dev.logpipe.worker.config.Credentials;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.List;

/**
 * The operator's view of one Redis server: reachability (PING), removal of a pipeline's keys and
 * its ACL user. Failures leave as {@link BackendException}s classified by lettuce's exception
 * types.
 */
public final class RedisAdmin implements AutoCloseable {
  /** Keys asked for per SCAN step, and most steps per call, so one cleanup never runs unbounded. */
  static final int SCAN_COUNT = 1_000;

  static final int MAX_SCAN_STEPS = 200;

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final String url;
  private final String secretName;
  private final RedisClient client;
  private StatefulRedisConnection<String, String> connection;

  public RedisAdmin(String url, Credentials credentials, String secretName) {
    this.url = url;
    this.secretName = secretName;
    RedisURI.Builder uri = RedisURI.builder(RedisURI.create(url)).withTimeout(TIMEOUT);
    if (credentials != null && credentials.password() != null) {
      uri =
          credentials.user() == null
              ? uri.withPassword(credentials.password().toCharArray())
              : uri.withAuthentication(credentials.user(), credentials.password());
    }
    this.client = RedisClient.create(uri.build());
    client.setOptions(
        ClientOptions.builder()
            .socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).build())
            .timeoutOptions(TimeoutOptions.enabled(TIMEOUT))
            // Fail fast while disconnected instead of queueing until a timeout.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .build());
  }

  public void ping() {
    run(c -> c.ping());
  }

  /**
   * Stores {@code value} under {@code key} unless the key exists (SETNX, then GET: SET NX GET needs
   * Redis 7); returns what the key holds now, so the caller sees whose it is.
   */
  public String claim(String key, String value) {
    return run(c -> Boolean.TRUE.equals(c.setnx(key, value)) ? value : c.get(key));
  }

  /** SET: replaces the value of a key the caller has checked. */
  public void set(String key, String value) {
    run(c -> c.set(key, value));
  }

  /** GET, or null when the key does not exist. */
  public String get(String key) {
    return run(c -> c.get(key));
  }

  /**
   * UNLINKs every key starting with {@code prefix}, at most {@link #MAX_SCAN_STEPS} SCAN steps per
   * call.
   *
   * @return true when the whole key space was scanned; false when keys may remain (call again)
   */
  public boolean unlinkPrefix(String prefix) {
    return run(
        c -> {
          ScanArgs args = ScanArgs.Builder.matches(prefix + "*").limit(SCAN_COUNT);
          ScanCursor cursor = ScanCursor.INITIAL;
          for (int step = 0; step < MAX_SCAN_STEPS; step++) {
            KeyScanCursor<String> page = c.scan(cursor, args);
            if (!page.getKeys().isEmpty()) {
              c.unlink(page.getKeys().toArray(String[]::new));
            }
            if (page.isFinished()) {
              return true;
            }
            cursor = page;
          }
          return false;
        });
  }

  /**
   * Creates or resets a pipeline's ACL user so that it holds exactly one password and may run only
   * {@code commands} on the keys the worker and gateway use under {@code keyPrefix} ({@link
   * RedisCommandsUsed#KEY_PATTERNS}: not the operator's owner key), on no Pub/Sub channel. Sent
   * through lettuce's ACL SETUSER arguments (each rule one bound argument, never a command line
   * built from text). {@code resetpass} drops an earlier password, so a new Secret takes over at
   * once.
   *
   * @throws BackendException RedisUserNotCreated when the server refuses (no ACL support, or the
   *     operator's Redis user lacks +acl); the message is the server's, with the password masked
   */
  public void setPipelineUser(
      String user, String password, String keyPrefix, List<CommandType> commands) {
    AclSetuserArgs acl = pipelineUserAcl(password, keyPrefix, commands);
    run(
        c -> {
          try {
            return c.aclSetuser(user, acl);
          } catch (RedisCommandExecutionException e) {
            throw userRefused("create ACL user " + user, e, password);
          }
        });
  }

  /** ACL DELUSER; Redis also closes that user's connections. True when the user existed. */
  public boolean deletePipelineUser(String user) {
    return run(
        c -> {
          try {
            return c.aclDeluser(user) > 0;
          } catch (RedisCommandExecutionException e) {
            throw userRefused("delete ACL user " + user, e, null);
          }
        });
  }

  /** The rules, in the order Redis applies them; package-private for a unit test. */
  static AclSetuserArgs pipelineUserAcl(
      String password, String keyPrefix, List<CommandType> commands) {
    AclSetuserArgs acl = new AclSetuserArgs().on().resetpass().addPassword(password).resetKeys();
    RedisCommandsUsed.KEY_PATTERNS.forEach(pattern -> acl.keyPattern(keyPrefix + pattern));
    acl.resetChannels().noCommands();
    commands.forEach(acl::addCommand);
    return acl;
  }

  private BackendException userRefused(
      String what, RedisCommandExecutionException e, String password) {
    String detail = BackendException.shortCause(e);
    if (password != null) {
      // An ACL syntax error echoes the rule it rejects, which may be the password rule.
      detail = detail.replace(password, "****");
    }
    return new BackendException(
        Reason.RedisUserNotCreated, "Redis at " + url + " refused to " + what + ": " + detail);
  }

  private <R> R run(java.util.function.Function<RedisCommands<String, String>, R> command) {
    try {
      return command.apply(connection().sync());
    } catch (BackendException e) {
      throw e;
    } catch (RedisCommandExecutionException e) {
      throw authOrCommandFailure(e);
    } catch (RuntimeException e) {
      RedisCommandExecutionException handshake = handshakeError(e);
      if (handshake != null) {
        throw authOrCommandFailure(handshake);
      }
      throw new BackendException(
          Reason.RedisUnreachable,
          "Cannot reach Redis at "
              + url
              + ": "
              + BackendException.shortCause(e)
              + "; the operator retries at least every "
              + BackendException.RETRY_MAX_SECONDS
              + " s");
    }
  }

  // A command error while connecting comes from the AUTH/HELLO handshake: the credentials.
  private BackendException authOrCommandFailure(RedisCommandExecutionException e) {
    return new BackendException(
        Reason.RedisAuthFailed,
        secretName == null
            ? "Redis at " + url + " requires credentials; set credentialsSecret in the backend"
            : "Redis rejected the credentials in Secret " + secretName);
  }

  private static RedisCommandExecutionException handshakeError(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof RedisCommandExecutionException r) {
        return r;
      }
    }
    return null;
  }

  private synchronized StatefulRedisConnection<String, String> connection() {
    if (connection == null || !connection.isOpen()) {
      if (connection != null) {
        connection.closeAsync();
      }
      connection = client.connect();
    }
    return connection;
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      connection.close();
    }
    client.shutdown(Duration.ZERO, TIMEOUT);
  }
}
