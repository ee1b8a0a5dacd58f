package dev.logpipe.deploy.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logpipe.deploy.Repo;
import dev.logpipe.deploy.Yaml;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The install guide and the CRD reference keep up with values.yaml and the CRDs. */
class DocsTest {
  private static final String INSTALL = "install-gke.md";

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

  /** Every top-level key of values.yaml appears, as `key` or `key.sub`, in the install guide. */
  @Test
  void installGuideValuesTableMentionsEveryTopLevelValue() {
    String guide = Repo.read(Repo.DOCS.resolve(INSTALL));
    JsonNode values = Yaml.one(Repo.read(Repo.CHART.resolve("values.yaml")));
    List<String> missing = new ArrayList<>();
    values
        .fieldNames()
        .forEachRemaining(
            key -> {
              if (!guide.contains("`" + key + "`") && !guide.contains("`" + key + ".")) {
                missing.add(key);
              }
            });
    assertThat(missing)
        .as("values.yaml keys missing from docs/" + INSTALL + "'s values table")
        .isEmpty();
  }
}
