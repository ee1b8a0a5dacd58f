package dev.logpipe.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.logpipe.deploy.Repo;
import dev.logpipe.deploy.Yaml;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
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

  /** Deserialises rendered documents into fabric8's typed model (and ours for our kinds). */
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static {
    SERIALIZATION.registerKubernetesResource(ClusterLogBackend.class);
    SERIALIZATION.registerKubernetesResource(LogPipeline.class);
  }

  /** The documents of one rendering, looked up by kind and name. */
  record Rendered(List<JsonNode> docs) {
    /** Every document as a typed object (GenericKubernetesResource for kinds without a model). */
    List<KubernetesResource> typed() {
      return docs.stream()
          .map(d -> SERIALIZATION.convertValue(d, KubernetesResource.class))
          .toList();
    }

    /** One document as {@code type}, e.g. the operator's Deployment or its ClusterRole. */
    <T extends HasMetadata> T typed(Class<T> type, String name) {
      JsonNode doc = get(HasMetadata.getKind(type), name);
      KubernetesResource typed = SERIALIZATION.convertValue(doc, KubernetesResource.class);
      assertThat(typed).isInstanceOf(type);
      return type.cast(typed);
    }

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
