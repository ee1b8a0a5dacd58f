package dev.logpipe.operator.model;

import dev.logpipe.worker.config.PipelineConfig;
import dev.logpipe.worker.config.PipelineConfigLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;

/**
 * The ConfigMap the worker reads its {@link PipelineConfig} from. The owner reference is added by
 * JOSDK's dependent resource, not here. Holds no credentials.
 */
public final class ConfigMapFactory {
  public static final String CONFIG_KEY = "pipeline.json";

  private ConfigMapFactory() {}

  public static ConfigMap desired(PipelineNames names, PipelineConfig config) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(names.configMap())
        .withNamespace(names.namespace())
        .withLabels(names.labels("config"))
        .endMetadata()
        .withData(Map.of(CONFIG_KEY, json(config)))
        .build();
  }

  /** The exact text stored in the ConfigMap; the worker's config hash is computed over it. */
  public static String json(PipelineConfig config) {
    return PipelineConfigLoader.toJson(config);
  }

  /** SHA-256 (hex) of the config JSON: a pod-template annotation, so a change rolls the pods. */
  public static String hash(PipelineConfig config) {
    return PipelineNames.sha256(json(config));
  }
}
