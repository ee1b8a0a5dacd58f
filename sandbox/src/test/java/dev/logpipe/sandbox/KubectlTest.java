package dev.logpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A missing kubectl fails the kubectl tests (with what to do) instead of skipping them. */
class KubectlTest {
  @TempDir Path dir;

  @Test
  void aMissingOrNonExecutableBinaryFailsWithWhatToDo() throws Exception {
    assertThatThrownBy(() -> Kubectl.requireExecutable(dir.resolve("kubectl")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("run bin/setup")
        .hasMessageContaining(Kubectl.ENV);
    Path file = Files.writeString(dir.resolve("not-executable"), "#!/bin/sh\n");
    assertThatThrownBy(() -> Kubectl.requireExecutable(file)).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> Kubectl.requireExecutable(dir)).isInstanceOf(AssertionError.class);
  }

  @Test
  void anExecutableBinaryIsUsed() throws Exception {
    Path file = Files.writeString(dir.resolve("kubectl"), "#!/bin/sh\n");
    assertThat(file.toFile().setExecutable(true)).isTrue();
    assertThat(Kubectl.requireExecutable(file)).isEqualTo(file);
  }
}
