package dev.logpipe.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.logpipe.deploy.Repo;
import dev.logpipe.deploy.Yaml;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The chart rendered by helm-java (Helm 3 as a native library), parsed into documents. */
final class Chart {
  static final String RELEASE = "logpipe";
  static final String NAMESPACE = "logpipe-system";
  static final String FULLNAME = "logpipe-logpipe-operator";

  private Chart() {}

  static TemplateCommand template() {
    // GKE regular channel; helm-java defaults to v1.20, below the chart's kubeVersion.
    return new Helm(Repo.CHART)
        .template()
        .withName(RELEASE)
        .withNamespace(NAMESPACE)
        .withKubeVersion("v1.31.0");
  }

  /** Renders with {@code --set key=value} for each entry. */
  static Rendered render(Map<String, Object> set) {
    return render(
        t ->
            set.entrySet().stream()
                .reduce(t, (c, e) -> c.set(e.getKey(), e.getValue()), (a, b) -> a));
  }

  static Rendered render(UnaryOperator<TemplateCommand> options) {
    return new Rendered(Yaml.all(options.apply(template()).call()));
  }

  /** The documents of one rendering, looked up by kind and name. */
  record Rendered(List<JsonNode> docs) {
    List<JsonNode> ofKind(String kind) {
      return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    JsonNode get(String kind, String name) {
      List<JsonNode> found =
          ofKind(kind).stream()
              .filter(d -> name.equals(d.path("metadata").path("name").asText()))
              .toList();
      assertThat(found).as(kind + " " + name + " in " + names()).hasSize(1);
      return found.get(0);
    }

    JsonNode get(String kind, String namespace, String name) {
      List<JsonNode> found =
          ofKind(kind).stream()
              .filter(d -> name.equals(d.path("metadata").path("name").asText()))
              .filter(d -> namespace.equals(d.path("metadata").path("namespace").asText()))
              .toList();
      assertThat(found).as(kind + " " + namespace + "/" + name + " in " + names()).hasSize(1);
      return found.get(0);
    }

    List<String> names() {
      return docs.stream()
          .map(
              d ->
                  d.path("kind").asText()
                      + " "
                      + d.path("metadata").path("namespace").asText("-")
                      + "/"
                      + d.path("metadata").path("name").asText())
          .toList();
    }
  }
}
