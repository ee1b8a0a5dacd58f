package dev.logpipe.operator.model;

import dev.logpipe.worker.config.LogTableSchema;
import dev.logpipe.worker.config.SqlIdentifiers;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The SQL that gives one pipeline its own ClickHouse users, one per role, with only the grants that
 * role needs on that pipeline's objects, and that removes them. Every identifier passes {@link
 * SqlIdentifiers}; the only literals are hex digits (the password's SHA-256 and its salt), checked
 * here, so no text from a user or a Secret shapes a statement. The password itself never reaches
 * the server: {@code sha256_hash} is the {@code sha256_password} method given the hash, so neither
 * the query log nor an error message can show it.
 *
 * <p>Not run by the operator yet (see CredentialsReady and README): the dev ClickHouse (chDB) holds
 * no SQL users, so only a real server can prove these (ClickHouseUserEnforcementIT, with {@code
 * LOGPIPE_CLICKHOUSE_URL}).
 */
public final class ClickHouseUserStatements {
  /** Who uses the user: the worker writes the table and its ledger; the gateway only reads. */
  public enum Role {
    WORKER("worker"),
    GATEWAY("gateway");

    private final String suffix;

    Role(String suffix) {
      this.suffix = suffix;
    }
  }

  private static final Pattern HEX = Pattern.compile("[0-9a-f]{16,128}");

  private ClickHouseUserStatements() {}

  /**
   * {@code logpipe_<16 hex of SHA-256 of namespace/name>_<role>}: a valid identifier whatever the
   * names (namespace and name together exceed 63 characters, and '-' cannot stand in one), distinct
   * per pipeline, stable across reconciles.
   */
  public static String userName(PipelineNames names, Role role) {
    String id = PipelineNames.sha256(names.namespace() + "/" + names.name()).substring(0, 16);
    return SqlIdentifiers.require("user", "logpipe_" + id + "_" + role.suffix);
  }

  /**
   * Creates the user if missing, sets its password (so a new Secret takes over), and makes its
   * grants exactly the role's: everything it held before is revoked first.
   *
   * @param saltHex random salt, hex; a fresh one per password
   */
  public static List<String> create(
      PipelineNames names, Role role, String password, String saltHex) {
    String user = SqlIdentifiers.quote("user", userName(names, role));
    String salt = hex("salt", saltHex);
    String hash = hex("hash", sha256Hex(password + saltHex));
    String identified = " IDENTIFIED WITH sha256_hash BY '" + hash + "' SALT '" + salt + "'";
    List<String> sql = new ArrayList<>();
    sql.add("CREATE USER IF NOT EXISTS " + user + identified);
    sql.add("ALTER USER " + user + identified);
    sql.add("REVOKE ALL ON *.* FROM " + user);
    String table = LogTableSchema.qualified(names.database(), names.table());
    String stats =
        LogTableSchema.qualified(names.database(), names.table() + LogTableSchema.STATS_SUFFIX);
    if (role == Role.WORKER) {
      String ledger =
          LogTableSchema.qualified(names.database(), names.table() + LogTableSchema.LEDGER_SUFFIX);
      sql.add("GRANT INSERT, SELECT ON " + table + " TO " + user);
      sql.add("GRANT INSERT, SELECT ON " + ledger + " TO " + user);
      // The rollup is fed by a materialized view on each insert; servers that run views with the
      // inserting user's rights (no SQL SECURITY DEFINER) need this one too.
      sql.add("GRANT INSERT ON " + stats + " TO " + user);
    } else {
      sql.add("GRANT SELECT ON " + table + " TO " + user);
      sql.add("GRANT SELECT ON " + stats + " TO " + user);
    }
    return sql;
  }

  /** Drops both of the pipeline's users (DROP USER also removes their grants). */
  public static List<String> drop(PipelineNames names) {
    List<String> sql = new ArrayList<>();
    for (Role role : Role.values()) {
      sql.add("DROP USER IF EXISTS " + SqlIdentifiers.quote("user", userName(names, role)));
    }
    return sql;
  }

  /** SHA-256 (hex) of the password followed by the salt, as ClickHouse checks sha256_hash SALT. */
  static String sha256Hex(String text) {
    return PipelineNames.sha256(text);
  }

  private static String hex(String what, String value) {
    if (value == null || !HEX.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " must be 16 to 128 lower-case hex digits");
    }
    return value;
  }

  /** A fresh random salt: 16 bytes as 32 hex digits. */
  public static String randomSalt() {
    byte[] bytes = new byte[16];
    new java.security.SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
