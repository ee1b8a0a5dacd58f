package dev.logpipe.operator.model;

import dev.logpipe.worker.config.Credentials;
import dev.logpipe.worker.config.KafkaLogin;
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

/**
 * What the worker and gateway Deployments share: the pipeline-worker image reading the pipeline's
 * ConfigMap, credentials by reference to the pipeline's Secret, the HTTP port with health probes,
 * the locked-down security context, and config and Secret hash annotations that roll pods on
 * change.
 */
final class PipelineDeployments {
  static final String CONFIG_DIR = "/etc/logpipe";
  static final int HTTP_PORT = 8080;
  static final String PORT_NAME = "http";
  private static final long RUN_AS_USER = 10_001;

  /** One kind of pipeline pod: its component label, command and sizing. */
  record Workload(
      String component,
      String deploymentName,
      String containerName,
      int replicas,
      String subcommand,
      List<EnvVar> extraEnv,
      ResourceRequirements resources,
      long terminationGraceSeconds,
      Map<String, String> secretHashes,
      KafkaIdentity kafka) {}

  /**
   * The pipeline's KafkaUser these pods log in as (when their config asks for SASL): its name, and
   * the key of the credentials Secret that holds its password.
   */
  record KafkaIdentity(String user, String passwordKey) {}

  private PipelineDeployments() {}

  static Deployment build(
      WorkerImage image, PipelineNames names, PipelineConfig config, Workload w) {
    Map<String, String> podAnnotations = new LinkedHashMap<>();
    podAnnotations.put("prometheus.io/scrape", "true");
    podAnnotations.put("prometheus.io/port", String.valueOf(HTTP_PORT));
    podAnnotations.put("prometheus.io/path", "/metrics");
    podAnnotations.put(
        WorkerDeploymentFactory.CONFIG_HASH_ANNOTATION, ConfigMapFactory.hash(config));
    // One hash per Secret the pod reads, so a changed Secret rolls exactly its readers.
    podAnnotations.putAll(w.secretHashes());
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(w.deploymentName())
        .withNamespace(names.namespace())
        .withLabels(names.labels(w.component()))
        .endMetadata()
        .withNewSpec()
        .withReplicas(w.replicas())
        .withNewSelector()
        .withMatchLabels(names.selectorLabels(w.component()))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(names.labels(w.component()))
        .withAnnotations(podAnnotations)
        .endMetadata()
        .withNewSpec()
        .withTerminationGracePeriodSeconds(w.terminationGraceSeconds())
        .withAutomountServiceAccountToken(false)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUN_AS_USER)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(container(image, names, config, w))
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

  private static Container container(
      WorkerImage image, PipelineNames names, PipelineConfig config, Workload w) {
    List<EnvVar> env = credentialsEnv(names, config);
    if (PipelineConfigFactory.kafkaLogin(config)) {
      // The user is no secret; the password only by reference, as KafkaLogin reads them.
      env.add(
          new EnvVarBuilder().withName(KafkaLogin.KAFKA_USER).withValue(w.kafka().user()).build());
      env.add(
          fromSecret(
              KafkaLogin.KAFKA_PASSWORD,
              names.credentialsSecret(),
              w.kafka().passwordKey(),
              false));
    }
    env.addAll(w.extraEnv());
    return new ContainerBuilder()
        .withName(w.containerName())
        .withImage(image.image())
        .withImagePullPolicy(image.pullPolicy())
        .withArgs(w.subcommand(), "--config", CONFIG_DIR + "/" + ConfigMapFactory.CONFIG_KEY)
        .withEnv(env)
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
        .withResources(w.resources() == null ? new ResourceRequirements() : w.resources())
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
  private static List<EnvVar> credentialsEnv(PipelineNames names, PipelineConfig config) {
    List<EnvVar> env = new ArrayList<>();
    env.add(fromSecret(names.credentialsSecret(), Credentials.CLICKHOUSE_USER, false));
    env.add(fromSecret(names.credentialsSecret(), Credentials.CLICKHOUSE_PASSWORD, false));
    if (config.redis() != null) {
      // Optional: a Redis without authentication has no keys in the Secret.
      env.add(fromSecret(names.credentialsSecret(), Credentials.REDIS_USER, true));
      env.add(fromSecret(names.credentialsSecret(), Credentials.REDIS_PASSWORD, true));
    }
    return env;
  }

  static EnvVar fromSecret(String secret, String key, boolean optional) {
    return fromSecret(key, secret, key, optional);
  }

  static EnvVar fromSecret(String variable, String secret, String key, boolean optional) {
    return new EnvVarBuilder()
        .withName(variable)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .withOptional(optional)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }
}
