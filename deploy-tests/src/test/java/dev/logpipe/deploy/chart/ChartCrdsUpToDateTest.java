package dev.logpipe.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.deploy.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * helm/logpipe-operator/crds/ is a byte-for-byte copy of the generated crds/ (Helm installs CRDs
 * only from a chart's own crds/ directory). Refresh with {@code mvn -pl deploy-tests test
 * -Dchart.crds.update=true}.
 */
class ChartCrdsUpToDateTest {
  private static final Path CHART_CRDS = Repo.CHART.resolve("crds");

  @Test
  void chartCrdsEqualTheGeneratedOnes() throws IOException {
    List<Path> sources = yamlFiles(Repo.CRDS);
    assertThat(sources).as("CRDs in " + Repo.CRDS).isNotEmpty();
    for (Path source : sources) {
      Repo.assertUpToDate(
          CHART_CRDS.resolve(source.getFileName().toString()),
          Files.readString(source),
          "chart.crds.update");
    }
    assertThat(yamlFiles(CHART_CRDS).stream().map(p -> p.getFileName().toString()))
        .as("the chart ships a CRD that crds/ no longer has; delete it")
        .containsExactlyInAnyOrderElementsOf(
            sources.stream().map(p -> p.getFileName().toString()).toList());
  }

  private static List<Path> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }
}
