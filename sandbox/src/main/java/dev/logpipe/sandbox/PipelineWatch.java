package dev.logpipe.sandbox;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a LogPipeline's conditions and status fields as plain maps (no operator types needed). */
public final class PipelineWatch {
  public static final ResourceDefinitionContext LOG_PIPELINES =
      new ResourceDefinitionContext.Builder()
          .withGroup("logpipe.dev")
          .withVersion("v1alpha1")
          .withKind("LogPipeline")
          .withPlural("logpipelines")
          .withNamespaced(true)
          .build();

  /** One condition as the status shows it. */
  public record Condition(String type, String status, String reason, String message) {}

  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  public PipelineWatch(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  public GenericKubernetesResource get() {
    return client
        .genericKubernetesResources(LOG_PIPELINES)
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  /** Conditions by type, in the order the status lists them; empty when there is no status. */
  @SuppressWarnings("unchecked")
  public Map<String, Condition> conditions() {
    Map<String, Condition> conditions = new LinkedHashMap<>();
    GenericKubernetesResource lp = get();
    Object status = lp == null ? null : lp.getAdditionalProperties().get("status");
    if (status instanceof Map<?, ?> s && s.get("conditions") instanceof List<?> list) {
      for (Object o : list) {
        Map<String, Object> c = (Map<String, Object>) o;
        conditions.put(
            String.valueOf(c.get("type")),
            new Condition(
                String.valueOf(c.get("type")), String.valueOf(c.get("status")),
                String.valueOf(c.get("reason")), String.valueOf(c.get("message"))));
      }
    }
    return conditions;
  }

  public boolean ready() {
    Condition ready = conditions().get("Ready");
    return ready != null && "True".equals(ready.status());
  }

  /** A status field such as {@code observedGeneration} or {@code topic.name}; null when absent. */
  @SuppressWarnings("unchecked")
  public Object status(String dottedPath) {
    GenericKubernetesResource lp = get();
    Object current = lp == null ? null : lp.getAdditionalProperties().get("status");
    for (String key : dottedPath.split("\\.")) {
      if (!(current instanceof Map<?, ?> m)) {
        return null;
      }
      current = ((Map<String, Object>) m).get(key);
    }
    return current;
  }
}
