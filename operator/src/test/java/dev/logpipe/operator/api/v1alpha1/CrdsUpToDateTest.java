package dev.logpipe.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails the build when crds/ differs from what the crd-generator-maven-plugin wrote at
 * process-classes. Refresh with {@code mvn -pl operator test -Dcrds.update=true}, then commit.
 */
class CrdsUpToDateTest {
  static final Path ROOT = Path.of(System.getProperty("logpipe.repo.root", "..")).normalize();
  static final Path GENERATED = ROOT.resolve("operator/target/classes/META-INF/fabric8");
  static final Path COMMITTED = ROOT.resolve("crds");
  private static final String SUFFIX = "-v1.yml";
  private static final String HOW_TO_REFRESH =
      "run `mvn -pl operator test -Dcrds.update=true` and commit crds/ (see crds/README.md)";

  @Test
  void committedCrdsMatchTheGeneratedOnes() throws IOException {
    List<Path> generated = generated();
    assertThat(generated).as("generated CRDs in " + GENERATED).hasSize(2);
    boolean update = "true".equals(System.getProperty("crds.update"));
    for (Path source : generated) {
      Path target = COMMITTED.resolve(committedName(source));
      String want = Files.readString(source);
      if (update) {
        Files.createDirectories(COMMITTED);
        Files.writeString(target, want);
      }
      assertThat(target).as(target + " is missing: " + HOW_TO_REFRESH).exists();
      assertThat(Files.readString(target))
          .as(target + " is stale: " + HOW_TO_REFRESH)
          .isEqualTo(want);
    }
    List<String> expected = generated.stream().map(CrdsUpToDateTest::committedName).toList();
    try (Stream<Path> files = Files.list(COMMITTED)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")))
          .as("crds/ holds a CRD no class generates any more; delete it")
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  static List<Path> generated() throws IOException {
    try (Stream<Path> files = Files.list(GENERATED)) {
      return files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
    }
  }

  /** logpipelines.logpipe.dev-v1.yml → logpipelines.logpipe.dev.yaml */
  static String committedName(Path generated) {
    String name = generated.getFileName().toString();
    return name.substring(0, name.length() - SUFFIX.length()) + ".yaml";
  }
}
