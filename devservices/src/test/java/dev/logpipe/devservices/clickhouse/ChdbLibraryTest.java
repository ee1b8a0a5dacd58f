package dev.logpipe.devservices.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChdbLibraryTest {

  @Test
  void environmentOverridesTheNpmCachePath() {
    assertThat(ChdbLibrary.resolve(Map.of(ChdbLibrary.ENV_LIBRARY, "/opt/chdb/libchdb.so")))
        .isEqualTo(Path.of("/opt/chdb/libchdb.so"));
    assertThat(ChdbLibrary.resolve(Map.of())).isEqualTo(ChdbLibrary.DEFAULT_LIBRARY);
  }

  @Test
  void aMissingLibrarySaysHowToInstallIt() {
    assertThatThrownBy(() -> ChdbLibrary.load(Path.of("/nonexistent/libchdb.so")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("npm install --prefix ~/.cache/logpipe/chdb")
        .hasMessageContaining(ChdbLibrary.ENV_LIBRARY);
  }
}
