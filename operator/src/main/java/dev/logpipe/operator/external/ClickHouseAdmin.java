package dev.logpipe.operator.external;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.query.GenericRecord;
import dev.logpipe.operator.model.ClickHouseUserStatements;
import dev.logpipe.operator.model.ClickHouseVersions;
import dev.logpipe.operator.status.Reason;
import dev.logpipe.worker.config.Credentials;
import dev.logpipe.worker.config.LogTableSchema;
import dev.logpipe.worker.sink.ClickHouseClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's view of one ClickHouse server under one set of credentials: its version, the state
 * of a pipeline's table, and DDL. Every failure leaves as a {@link BackendException} whose reason
 * comes from the client's typed errors (server error code, transport), never from message text.
 */
public final class ClickHouseAdmin implements AutoCloseable {
  private static final Set<Integer> AUTH_CODES = Set.of(192, 193, 194, 516);
  private static final Pattern TTL_DAYS = Pattern.compile("TTL .*?toIntervalDay\\((\\d+)\\)");
  private static final Duration VERSION_TTL = Duration.ofMinutes(5);
  private static final long DDL_TIMEOUT_SECONDS = 60;

  private final String url;
  private final String secretName;
  private final Client client;
  // Databases this client created or saw created: CREATE DATABASE once, not once per pipeline.
  private final Set<String> databases = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile String version;
  private volatile long versionCheckedNanos;
  private volatile UserSupport userSupport;
  private volatile long userSupportCheckedNanos;

  /**
   * Whether these credentials can create users on this server, and if not, the server's answer (its
   * error, without the statement it echoes).
   */
  public record UserSupport(boolean accepted, String serverMessage) {}

  private static final Duration USER_SUPPORT_TTL = Duration.ofMinutes(10);
  private static final String PROBE_USER = "logpipe_capability_probe";

  /**
   * @param secretName namespace/name of the Secret the credentials came from, for messages
   */
  public ClickHouseAdmin(String url, Credentials credentials, String secretName) {
    this.url = url;
    this.secretName = secretName;
    this.client = ClickHouseClients.create(url, credentials, null);
  }

  /** The server version; fails with ClickHouseTooOld when older than the schema needs. */
  public String requireSupportedVersion() {
    String v = serverVersion();
    if (!ClickHouseVersions.isSupported(v)) {
      throw new BackendException(
          Reason.ClickHouseTooOld,
          "ClickHouse at "
              + url
              + " is version "
              + v
              + "; logpipe needs "
              + LogTableSchema.MINIMUM_SERVER_VERSION
              + " or newer");
    }
    return v;
  }

  /** {@code SELECT version()}, asked again at most every few minutes (provisioning's check). */
  public String serverVersion() {
    if (version == null || System.nanoTime() - versionCheckedNanos > VERSION_TTL.toNanos()) {
      return currentVersion();
    }
    return version;
  }

  /**
   * {@code SELECT version()} now, a round trip every time: the backend's reachability check, which
   * must notice a server that died since the last call.
   */
  public String currentVersion() {
    long now = System.nanoTime();
    version = query("SELECT version()", Map.of()).get(0).getString(1);
    versionCheckedNanos = now;
    return version;
  }

  /**
   * Tries, at most every {@link #USER_SUPPORT_TTL}, to create (and at once drop) a probe user with
   * a random password, which is what per-pipeline users would need. Run by the backend check, off
   * the pipelines' reconciles; {@link #knownUserSupport()} reads the result.
   *
   * @throws BackendException when the server cannot be reached or rejects the credentials
   */
  public UserSupport checkUserSupport() {
    if (userSupport != null
        && System.nanoTime() - userSupportCheckedNanos < USER_SUPPORT_TTL.toNanos()) {
      return userSupport;
    }
    // A random "hash" that no password matches: the probe user can never log in, even if the
    // DROP that follows fails and leaves it behind.
    String salt = ClickHouseUserStatements.randomSalt();
    String hash = ClickHouseUserStatements.randomSalt() + ClickHouseUserStatements.randomSalt();
    UserSupport result = new UserSupport(true, "");
    for (String sql :
        List.of(
            "CREATE USER IF NOT EXISTS "
                + PROBE_USER
                + " IDENTIFIED WITH sha256_hash BY '"
                + hash
                + "' SALT '"
                + salt
                + "'",
            "DROP USER IF EXISTS " + PROBE_USER)) {
      try {
        client.execute(sql).get(DDL_TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
      } catch (Exception e) {
        Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        ServerException server = find(t, ServerException.class);
        // The server answered with an error (ACCESS_DENIED arrives as HTTP 403, so it is not
        // taken for wrong credentials here): it cannot make users for us. Anything else is the
        // connection's failure, reported as such.
        if (server == null || AUTH_CODES.contains(server.getCode())) {
          throw classify(e, Reason.SharedClickHouseCredentials);
        }
        result = new UserSupport(false, serverError(server));
        break;
      }
    }
    userSupport = result;
    userSupportCheckedNanos = System.nanoTime();
    return result;
  }

  /** The last {@link #checkUserSupport()} result, without asking the server; empty before one. */
  public Optional<UserSupport> knownUserSupport() {
    return Optional.ofNullable(userSupport);
  }

  /**
   * The table's TTL, columns and whether its derived objects exist, in one round trip: every
   * reconciliation of a new pipeline starts here, and a busy server should see one query, not one
   * per system table.
   */
  public Optional<TableState> table(String database, String table) {
    List<String> derived = LogTableSchema.derivedObjects(table);
    Map<String, Object> params = Map.of("db", database, "t", table, "derived", derived);
    List<GenericRecord> tables =
        query(
            "SELECT name, engine_full, comment, if(name = {t:String}, (SELECT groupArray(name) FROM"
                + " system.columns WHERE database = {db:String} AND table = {t:String}), [])"
                + " AS columns FROM system.tables WHERE database = {db:String}"
                + " AND (name = {t:String} OR has({derived:Array(String)}, name))",
            params);
    Integer days = null;
    Set<String> columns = null;
    String comment = null;
    int derivedFound = 0;
    for (GenericRecord r : tables) {
      if (r.getString("name").equals(table)) {
        Matcher m = TTL_DAYS.matcher(r.getString("engine_full"));
        days = m.find() ? Integer.valueOf(m.group(1)) : null;
        columns = Set.copyOf(r.<String>getList("columns"));
        comment = r.getString("comment");
      } else {
        derivedFound++;
      }
    }
    if (columns == null) {
      return Optional.empty();
    }
    return Optional.of(
        new TableState(database, table, days, columns, derivedFound == derived.size(), comment));
  }

  /** Creates {@code database} (with {@code comment}) unless this client already did. */
  public void ensureDatabase(String database, String comment, Reason failureReason) {
    if (!databases.contains(database)) {
      execute(List.of(LogTableSchema.createDatabase(database, comment)), failureReason);
      databases.add(database);
    }
  }

  /** Runs DDL in order; statements come from {@link LogTableSchema} (identifiers validated). */
  public void execute(List<String> statements, Reason failureReason) {
    for (String sql : statements) {
      try {
        client.execute(sql).get(DDL_TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
      } catch (Exception e) {
        // The failure may be a database dropped behind our back: create it again next time.
        databases.clear();
        throw classify(e, failureReason);
      }
    }
  }

  private List<GenericRecord> query(String sql, Map<String, Object> params) {
    try {
      return client.queryAll(sql, params);
    } catch (Exception e) {
      throw classify(e, Reason.ClickHouseUnreachable);
    }
  }

  private BackendException classify(Exception e, Reason serverErrorReason) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    ServerException server = find(t, ServerException.class);
    if (server != null
        && (AUTH_CODES.contains(server.getCode())
            || server.getTransportProtocolCode() == 401
            || server.getTransportProtocolCode() == 403)) {
      return new BackendException(
          Reason.ClickHouseAuthFailed,
          "ClickHouse rejected the credentials in Secret " + secretName);
    }
    if (server != null) {
      return new BackendException(
          serverErrorReason,
          "ClickHouse at "
              + url
              + " refused a statement (code "
              + server.getCode()
              + "): "
              + serverError(server));
    }
    return new BackendException(
        Reason.ClickHouseUnreachable,
        "Cannot reach ClickHouse at "
            + url
            + ": "
            + BackendException.shortCause(t)
            + "; the operator retries at least every "
            + BackendException.RETRY_MAX_SECONDS
            + " s");
  }

  /**
   * The server's own sentence: the client's message starts with the statement it sent (which for
   * CREATE USER holds a password hash), so only the text from "DB::Exception" on is kept.
   */
  static String serverError(ServerException server) {
    String all = server.getMessage() == null ? "" : server.getMessage();
    int at = all.indexOf("DB::Exception:");
    if (at < 0) {
      return BackendException.shortCause(server);
    }
    String text = all.substring(at + "DB::Exception:".length()).strip();
    int query = text.indexOf("(queryId");
    text = (query < 0 ? text : text.substring(0, query)).lines().findFirst().orElse("").strip();
    // A syntax error quotes the statement near its fault: never a hash or salt in a status.
    text = text.replaceAll("[0-9a-f]{32,}", "****");
    return text.length() > 240 ? text.substring(0, 237) + "..." : text;
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  @Override
  public void close() {
    client.close();
  }
}
