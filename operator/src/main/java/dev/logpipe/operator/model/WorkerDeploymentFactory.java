package dev.logpipe.operator.model;

import dev.logpipe.operator.api.v1alpha1.LogPipelineSpec;
import dev.logpipe.worker.config.Credentials;
import dev.logpipe.worker.config.PipelineConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The worker Deployment ({@code pipeline-worker consume}) of one pipeline. */
public final class WorkerDeploymentFactory {
  public static final String CONFIG_HASH_ANNOTATION = "logpipe.dev/config-hash";
  public static final String CONFIG_DIR = "/etc/logpipe";
  public static final int HTTP_PORT = 8080;
  static final String PORT_NAME = "http";
  // Long enough for a worker to store its in-flight batch before it stops.
  static final long TERMINATION_GRACE_SECONDS = 60;
  private static final long RUN_AS_USER = 10_001;

  private final WorkerImage image;

  public WorkerDeploymentFactory(WorkerImage image) {
    this.image = image;
  }

  public Deployment desired(PipelineNames names, LogPipelineSpec spec, PipelineConfig config) {
    Map<String, String> podAnnotations = new LinkedHashMap<>();
    podAnnotations.put("prometheus.io/scrape", "true");
    podAnnotations.put("prometheus.io/port", String.valueOf(HTTP_PORT));
    podAnnotations.put("prometheus.io/path", "/metrics");
    podAnnotations.put(CONFIG_HASH_ANNOTATION, ConfigMapFactory.hash(config));
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(names.workerDeployment())
        .withNamespace(names.namespace())
        .withLabels(names.labels("worker"))
        .endMetadata()
        .withNewSpec()
        .withReplicas(spec.getWorkers().getReplicas())
        .withNewSelector()
        .withMatchLabels(names.selectorLabels("worker"))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(names.labels("worker"))
        .withAnnotations(podAnnotations)
        .endMetadata()
        .withNewSpec()
        .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
        .withAutomountServiceAccountToken(false)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUN_AS_USER)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(container(names, spec, config))
        .addNewVolume()
        .withName("config")
        .withNewConfigMap()
        .withName(names.configMap())
        .endConfigMap()
        .endVolume()
        // The root filesystem is read-only; the JVM still needs a writable /tmp.
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private Container container(PipelineNames names, LogPipelineSpec spec, PipelineConfig config) {
    ResourceRequirements resources = spec.getWorkers().getResources();
    return new ContainerBuilder()
        .withName("worker")
        .withImage(image.image())
        .withImagePullPolicy(image.pullPolicy())
        .withArgs("consume", "--config", CONFIG_DIR + "/" + ConfigMapFactory.CONFIG_KEY)
        .withEnv(env(names, config))
        .addNewPort()
        .withName(PORT_NAME)
        .withContainerPort(HTTP_PORT)
        .withProtocol("TCP")
        .endPort()
        .withNewLivenessProbe()
        .withNewHttpGet()
        .withPath("/healthz")
        .withPort(new IntOrString(PORT_NAME))
        .endHttpGet()
        .withInitialDelaySeconds(10)
        .withPeriodSeconds(10)
        .withFailureThreshold(6)
        .endLivenessProbe()
        .withNewReadinessProbe()
        .withNewHttpGet()
        .withPath("/readyz")
        .withPort(new IntOrString(PORT_NAME))
        .endHttpGet()
        .withPeriodSeconds(5)
        .endReadinessProbe()
        .withResources(resources == null ? new ResourceRequirements() : resources)
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withPrivileged(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .addNewVolumeMount()
        .withName("config")
        .withMountPath(CONFIG_DIR)
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .build();
  }

  /** Credentials only by reference to the pipeline's Secret; never a literal value. */
  private static List<EnvVar> env(PipelineNames names, PipelineConfig config) {
    List<EnvVar> env = new ArrayList<>();
    env.add(fromSecret(names, Credentials.CLICKHOUSE_USER, false));
    env.add(fromSecret(names, Credentials.CLICKHOUSE_PASSWORD, false));
    if (config.redis() != null) {
      // Optional: a Redis without authentication has no keys in the Secret.
      env.add(fromSecret(names, Credentials.REDIS_USER, true));
      env.add(fromSecret(names, Credentials.REDIS_PASSWORD, true));
    }
    return env;
  }

  private static EnvVar fromSecret(PipelineNames names, String key, boolean optional) {
    return new EnvVarBuilder()
        .withName(key)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(names.credentialsSecret())
        .withKey(key)
        .withOptional(optional)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }
}
