package dev.logpipe.worker.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Backend credentials, read from the environment (the operator fills it from a Secret), or from a
 * file named by the {@code *_FILE} variant of the same variable. Never from the config file.
 *
 * <p>{@code toString} never shows the password.
 */
public record Credentials(String user, String password) {
  public static final String CLICKHOUSE_USER = "LOGPIPE_CLICKHOUSE_USER";
  public static final String CLICKHOUSE_PASSWORD = "LOGPIPE_CLICKHOUSE_PASSWORD";
  public static final String REDIS_USER = "LOGPIPE_REDIS_USER";
  public static final String REDIS_PASSWORD = "LOGPIPE_REDIS_PASSWORD";

  public static Credentials clickHouse(Map<String, String> env) {
    return new Credentials(
        read(env, CLICKHOUSE_USER).orElse("default"), read(env, CLICKHOUSE_PASSWORD).orElse(""));
  }

  public static Credentials redis(Map<String, String> env) {
    return new Credentials(
        read(env, REDIS_USER).orElse(null), read(env, REDIS_PASSWORD).orElse(null));
  }

  /** A secret from {@code name} or from the file named by {@code name_FILE}. */
  public static Optional<String> read(Map<String, String> env, String name) {
    String direct = env.get(name);
    if (direct != null && !direct.isEmpty()) {
      return Optional.of(direct);
    }
    String file = env.get(name + "_FILE");
    if (file == null || file.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(Path.of(file)).strip());
    } catch (IOException e) {
      throw new ConfigException(
          java.util.List.of(name + "_FILE: cannot read " + file + " (" + e.getMessage() + ")"));
    }
  }

  @Override
  public String toString() {
    return "Credentials[user=" + user + ", password=" + (password == null ? "none" : "****") + "]";
  }
}
