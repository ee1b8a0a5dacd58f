package dev.logpipe.operator.model;

import dev.logpipe.worker.config.LogTableSchema;
import dev.logpipe.worker.config.SqlIdentifiers;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * ClickHouse database and table names, injective per server: two different (prefix, namespace)
 * never share a database, and two pipeline names never share a table or one of its derived objects.
 *
 * <p>The plain name {@code prefix + namespace} ('-' as '_') is ambiguous in general: {@code
 * logs_team_} + {@code a} and {@code logs_} + {@code team-a} both give {@code logs_team_a}. It is
 * kept (so existing tables keep their names) only when the prefix is one word followed by one '_'
 * (as the default {@code logs_}) and the result has no "__": then the first '_' is where the prefix
 * ends, and the name can be read back. Every other pair gets {@code <cut plain name>__<8 hex of
 * SHA-256 of prefix and namespace>}; plain names never contain "__", so the two forms never meet,
 * and two hashed names meet only if both the cut names and 32 bits of hash agree. The table's owner
 * comment still guards against that (and against tables made by hand).
 *
 * <p>Tables: the plain {@code name} ('-' as '_', '_' before a leading digit) unless it ends like an
 * object derived from another table ({@code _ledger}, {@code _stats}, {@code _stats_v}, the legacy
 * {@code _offsets}: pipeline {@code x-stats} would otherwise be the rollup of pipeline {@code x})
 * or contains "__"; those are hashed the same way.
 *
 * <p>A cut name ({@code <head>-<8 hex of SHA-256>}, see {@link PipelineNames#fit}) stays plain, so
 * a name of exactly the cut length with that tail is hashed (see {@link #spellsACutName}). What
 * remains: two long names with the same head whose 32 hash bits agree (a search of about 2^32
 * SHA-256 computations) share a database; the table owner comment refuses them a shared table.
 */
final class StorageNames {
  static final int MAX_IDENTIFIER = PipelineNames.MAX_IDENTIFIER;
  static final int MAX_TABLE = PipelineNames.MAX_TABLE;
  private static final String HASH_MARK = "__";
  private static final int HASH_LENGTH = 8;
  private static final Pattern CUT_TAIL = Pattern.compile(".*-[0-9a-f]{8}");
  private static final Pattern PLAIN_PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9]*_");

  private StorageNames() {}

  static String database(String databasePrefix, String namespace) {
    String prefix = databasePrefix == null ? "" : databasePrefix;
    int room = MAX_IDENTIFIER - prefix.length();
    if (PLAIN_PREFIX.matcher(prefix).matches() && !spellsACutName(namespace, room)) {
      String plain = prefix + underscores(PipelineNames.fit(namespace, room));
      if (!plain.contains(HASH_MARK)) {
        return SqlIdentifiers.require("derived database name", plain);
      }
    }
    return hashed(prefix + underscores(namespace), prefix + "/" + namespace, MAX_IDENTIFIER);
  }

  static String table(String name) {
    // Identifiers cannot start with a digit; no Kubernetes name starts with '_'.
    String lead = Character.isDigit(name.charAt(0)) ? "_" : "";
    String plain = lead + underscores(PipelineNames.fit(name, MAX_TABLE - 1));
    boolean forgeable = spellsACutName(name, MAX_TABLE - 1);
    // The legacy _offsets view counts too: tables of earlier versions keep it until migrated.
    boolean derivedLike =
        plain.endsWith(LogTableSchema.OFFSETS_SUFFIX)
            || LogTableSchema.derivedObjects("").stream()
                .anyMatch(suffix -> plain.endsWith(suffix));
    if (!plain.contains(HASH_MARK) && !derivedLike && !forgeable) {
      return SqlIdentifiers.require("derived table name", plain);
    }
    return hashed(lead + underscores(name), name, MAX_TABLE);
  }

  /**
   * Whether an uncut {@code value} reads exactly like what {@link PipelineNames#fit} makes of a
   * longer name ({@code max} characters ending in '-' and 8 hex digits). Such a value is hashed
   * instead, so a shorter namespace or name that spells a long one's cut form (computing its
   * SHA-256 needs no search) cannot share its database or table. Long names keep their plain cut
   * form, so existing tables keep their names.
   */
  private static boolean spellsACutName(String value, int max) {
    return value.length() == max && CUT_TAIL.matcher(value).matches();
  }

  /** {@code base} cut to fit, then "__" and 8 hex digits of SHA-256 of {@code key}. */
  private static String hashed(String base, String key, int max) {
    int room = max - HASH_MARK.length() - HASH_LENGTH;
    String cut = base.length() > room ? base.substring(0, room) : base;
    if (cut.isEmpty() || Character.isDigit(cut.charAt(0))) {
      cut = "_" + (cut.length() >= room ? cut.substring(0, room - 1) : cut);
    }
    String name = cut + HASH_MARK + PipelineNames.sha256(key).substring(0, HASH_LENGTH);
    return SqlIdentifiers.require("derived name", name);
  }

  private static String underscores(String kubernetesName) {
    return kubernetesName.toLowerCase(Locale.ROOT).replace('-', '_');
  }
}
