package dev.logpipe.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials come from the environment or a mounted file, never from the config file. */
class CredentialsTest {
  @TempDir Path dir;

  @Test
  void defaultsWithoutEnvironment() {
    assertThat(Credentials.clickHouse(Map.of())).isEqualTo(new Credentials("default", ""));
    assertThat(Credentials.redis(Map.of())).isEqualTo(new Credentials(null, null));
  }

  @Test
  void fromEnvironmentVariables() {
    Map<String, String> env =
        Map.of(
            "LOGPIPE_CLICKHOUSE_USER", "writer",
            "LOGPIPE_CLICKHOUSE_PASSWORD", "s3cret",
            "LOGPIPE_REDIS_USER", "cache",
            "LOGPIPE_REDIS_PASSWORD", "r3dis");
    assertThat(Credentials.clickHouse(env)).isEqualTo(new Credentials("writer", "s3cret"));
    assertThat(Credentials.redis(env)).isEqualTo(new Credentials("cache", "r3dis"));
  }

  @Test
  void fromMountedFilesWithTheTrailingNewlineStripped() throws Exception {
    Path user = Files.writeString(dir.resolve("user"), "writer\n");
    Path password = Files.writeString(dir.resolve("password"), "s3cret\n");
    Map<String, String> env =
        Map.of(
            "LOGPIPE_CLICKHOUSE_USER_FILE", user.toString(),
            "LOGPIPE_CLICKHOUSE_PASSWORD_FILE", password.toString(),
            "LOGPIPE_REDIS_PASSWORD_FILE", password.toString());
    assertThat(Credentials.clickHouse(env)).isEqualTo(new Credentials("writer", "s3cret"));
    assertThat(Credentials.redis(env)).isEqualTo(new Credentials(null, "s3cret"));
  }

  @Test
  void theVariableWinsOverTheFileAndAnEmptyVariableFallsBackToIt() throws Exception {
    Path password = Files.writeString(dir.resolve("password"), "from-file");
    assertThat(
            Credentials.clickHouse(
                Map.of(
                    "LOGPIPE_CLICKHOUSE_PASSWORD",
                    "from-env",
                    "LOGPIPE_CLICKHOUSE_PASSWORD_FILE",
                    password.toString())))
        .isEqualTo(new Credentials("default", "from-env"));
    assertThat(
            Credentials.clickHouse(
                Map.of(
                    "LOGPIPE_CLICKHOUSE_PASSWORD",
                    "",
                    "LOGPIPE_CLICKHOUSE_PASSWORD_FILE",
                    password.toString())))
        .isEqualTo(new Credentials("default", "from-file"));
  }

  @Test
  void anUnreadableFileNamesTheVariableAndThePath() {
    Path missing = dir.resolve("missing");
    ConfigException e =
        catchThrowableOfType(
            () ->
                Credentials.clickHouse(
                    Map.of("LOGPIPE_CLICKHOUSE_PASSWORD_FILE", missing.toString())),
            ConfigException.class);
    assertThat(e.errors())
        .singleElement()
        .asString()
        .startsWith("LOGPIPE_CLICKHOUSE_PASSWORD_FILE: cannot read " + missing + " (");
  }

  @Test
  void toStringNeverShowsThePassword() {
    assertThat(new Credentials("writer", "s3cret").toString())
        .isEqualTo("Credentials[user=writer, password=****]")
        .doesNotContain("s3cret");
    assertThat(new Credentials(null, null).toString()).contains("password=none");
  }
}
