package dev.logpipe.deploy.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logpipe.deploy.Repo;
import dev.logpipe.deploy.Yaml;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The install guide and the CRD reference keep up with values.yaml and the CRDs. */
class DocsTest {
  private static final String INSTALL = "install-gke.md";
  private static final Path VALUES = Repo.CHART.resolve("values.yaml");
  private static final String TABLE_BEGIN = "<!-- values table:";
  private static final String TABLE_END = "<!-- end of values table -->";

  /** docs/crd-reference.md is generated; refresh with -Ddocs.update=true. */
  @Test
  void crdReferenceIsUpToDate() {
    Repo.assertUpToDate(
        Repo.DOCS.resolve("crd-reference.md"), CrdReference.generate(Repo.CRDS), "docs.update");
  }

  @Test
  void crdReferenceDocumentsEverySpecField() {
    String reference = CrdReference.generate(Repo.CRDS);
    assertThat(reference)
        .contains("| `spec.topic.partitions` | integer | `3` |")
        .contains("| `spec.clickhouse.credentialsSecret.name` | string |  | required;")
        .contains("| `status.conditions[].type` |");
  }

  /**
   * The install guide's values table is generated from values.yaml's comments (every leaf key and
   * its default); refresh with -Ddocs.update=true.
   */
  @Test
  void installGuideValuesTableIsGeneratedFromValuesYaml() {
    Path guide = Repo.DOCS.resolve(INSTALL);
    String text = Repo.read(guide);
    int begin = text.indexOf(TABLE_BEGIN);
    int end = text.indexOf(TABLE_END);
    assertThat(begin).as("the values table markers in docs/" + INSTALL).isNotNegative();
    assertThat(end).isGreaterThan(begin);
    String lineEnd = text.substring(begin).split("\n", 2)[0] + "\n";
    String want =
        text.substring(0, begin)
            + lineEnd
            + ValuesTable.markdown(Repo.read(VALUES))
            + text.substring(end);
    Repo.assertUpToDate(guide, want, "docs.update");
  }

  /** Each leaf of values.yaml is a row key, with its default as the chart has it. */
  @Test
  void valuesTableListsEveryLeafWithItsDefault() {
    String yaml = Repo.read(VALUES);
    JsonNode values = Yaml.one(yaml);
    List<ValuesTable.Row> rows = ValuesTable.rows(yaml);
    List<String> keys = rows.stream().flatMap(r -> r.keys().stream()).toList();
    assertThat(keys).containsExactlyInAnyOrderElementsOf(ValuesTable.leaves("", values));
    ValuesTable.Row image =
        rows.stream().filter(r -> r.keys().contains("image.tag")).findFirst().orElseThrow();
    assertThat(image.defaults()).containsExactly("`\"\"`");
    assertThat(image.meaning()).isEqualTo("Defaults to the chart's appVersion.");
    assertThat(rows)
        .filteredOn(r -> r.keys().contains("reconcileThreads"))
        .singleElement()
        .satisfies(r -> assertThat(r.defaults()).containsExactly("`5`"));
    assertThat(ValuesTable.markdown(yaml))
        .contains(
            "| `resources.requests.cpu`<br>`resources.requests.memory`<br>`resources.limits.memory`"
                + " | `100m`<br>`256Mi`<br>`512Mi` | Operator container resources. |");
  }

  @Test
  void aValueWithoutACommentFailsTheTable() {
    String yaml = "# -- Documented.\ndocumented: 1\n\nundocumented:\n  leaf: true\n";
    assertThatThrownBy(() -> ValuesTable.rows(yaml)).hasMessageContaining("[undocumented.leaf]");
    assertThat(ValuesTable.comments("# -- Text.\n# more, Example:\n#   - code: x\nk: 1\n"))
        .containsEntry("k", "Text. more,");
  }
}
