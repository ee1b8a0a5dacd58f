package dev.logpipe.operator.dependent;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.model.ConfigMapFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The worker's PipelineConfig as JSON, owned by the pipeline. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.CONFIG))
public class ConfigMapDependentResource
    extends CRUDKubernetesDependentResource<ConfigMap, LogPipeline> {
  public static final String NAME = "config";

  public ConfigMapDependentResource() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(LogPipeline pipeline, Context<LogPipeline> context) {
    PipelineInputs in = PipelineInputs.of(pipeline, context);
    return ConfigMapFactory.desired(in.names(), in.config());
  }
}
