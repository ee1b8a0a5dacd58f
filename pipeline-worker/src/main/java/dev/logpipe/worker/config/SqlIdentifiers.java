package dev.logpipe.worker.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one gate every SQL identifier passes (database, table names): letters, digits and
 * underscores, starting with a letter or underscore, at most 63 characters. Anything else is
 * rejected, never escaped, so no user-supplied text can change a statement's shape.
 */
public final class SqlIdentifiers {
  private static final Pattern VALID = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private SqlIdentifiers() {}

  public static boolean isValid(String identifier) {
    return identifier != null && VALID.matcher(identifier).matches();
  }

  /** Returns the identifier if valid, otherwise throws naming what was wrong. */
  public static String require(String what, String identifier) {
    if (!isValid(identifier)) {
      throw new IllegalArgumentException(
          what
              + " '"
              + identifier
              + "' is not a valid identifier: use letters, digits and '_', start with a letter"
              + " or '_', at most 63 characters");
    }
    return identifier;
  }

  /** Validated and back-quoted, ready to stand in a statement. */
  public static String quote(String what, String identifier) {
    return "`" + require(what, identifier) + "`";
  }

  /**
   * Turns a Kubernetes name (DNS label: lower-case letters, digits, '-', '.') into an identifier by
   * mapping '-' and '.' to '_'. The result is validated, so hostile input still fails.
   */
  public static String fromKubernetesName(String prefix, String name) {
    String candidate =
        (prefix == null ? "" : prefix)
            + name.toLowerCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    return require("derived name", candidate);
  }
}
