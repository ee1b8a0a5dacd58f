package dev.logpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository, and the "compare or refresh" step shared by the stale checks. */
public final class Repo {
  public static final Path ROOT =
      Path.of(System.getProperty("logpipe.repo.root", "..")).toAbsolutePath().normalize();
  public static final Path CHART = ROOT.resolve("helm/logpipe-operator");
  public static final Path CRDS = ROOT.resolve("crds");
  public static final Path DOCS = ROOT.resolve("docs");

  private Repo() {}

  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Fails when {@code file} does not hold exactly {@code want}; with {@code -D<flag>=true} writes
   * it first. Generated files are committed, so a stale one is a build failure, not a surprise.
   */
  public static void assertUpToDate(Path file, String want, String flag) {
    String refresh =
        "refresh with `mvn -pl deploy-tests test -D" + flag + "=true` and commit " + file;
    if ("true".equals(System.getProperty(flag))) {
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(file, want);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    assertThat(file).as(file + " is missing: " + refresh).exists();
    assertThat(read(file)).as(file + " is stale: " + refresh).isEqualTo(want);
  }
}
