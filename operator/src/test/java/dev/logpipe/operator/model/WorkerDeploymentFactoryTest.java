package dev.logpipe.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.worker.config.PipelineConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerDeploymentFactoryTest {
  private final WorkerDeploymentFactory factory =
      new WorkerDeploymentFactory(new WorkerImage("ghcr.io/logpipe/worker:0.1.0", "IfNotPresent"));
  private final ClusterLogBackend backend = TestingFixtures.backend();
  private final LogPipeline pipeline = TestingFixtures.pipeline("team-payments", "payments");

  private Deployment deployment() {
    PipelineNames names = PipelineNames.of(pipeline, backend);
    PipelineConfig config =
        PipelineConfigFactory.build(names, pipeline.getSpec(), backend.getSpec());
    return factory.desired(names, pipeline.getSpec(), config, null);
  }

  private static String hash(Deployment d) {
    return d.getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get(WorkerDeploymentFactory.CONFIG_HASH_ANNOTATION);
  }

  @Test
  void runsTheConsumeCommandWithTheConfigMapMountedAndProbes() {
    pipeline.getSpec().getWorkers().setReplicas(2);
    pipeline
        .getSpec()
        .getWorkers()
        .setResources(
            new ResourceRequirementsBuilder()
                .addToRequests("memory", new Quantity("512Mi"))
                .build());

    Deployment d = deployment();
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);

    assertThat(d.getMetadata().getName()).isEqualTo("payments-worker");
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
    assertThat(c.getImage()).isEqualTo("ghcr.io/logpipe/worker:0.1.0");
    assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(c.getArgs()).containsExactly("consume", "--config", "/etc/logpipe/pipeline.json");
    assertThat(c.getResources().getRequests()).containsEntry("memory", new Quantity("512Mi"));
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(8080);
    assertThat(c.getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/etc/logpipe"));
    assertThat(pod.getVolumes())
        .anySatisfy(
            v -> assertThat(v.getConfigMap().getName()).isEqualTo("payments-pipeline-config"));
    assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", "8080");
  }

  @Test
  void runsAsNonRootWithReadOnlyRootAndNoPrivilegeEscalation() {
    PodSpec pod = deployment().getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(60L);
  }

  @Test
  void credentialsComeOnlyFromTheSecretByReference() {
    Container c = deployment().getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(c.getEnv())
        .extracting(EnvVar::getName)
        .containsExactly(
            "LOGPIPE_CLICKHOUSE_USER",
            "LOGPIPE_CLICKHOUSE_PASSWORD",
            "LOGPIPE_REDIS_USER",
            "LOGPIPE_REDIS_PASSWORD");
    assertThat(c.getEnv())
        .allSatisfy(
            e -> {
              assertThat(e.getValue()).isNull();
              assertThat(e.getValueFrom().getSecretKeyRef().getName())
                  .isEqualTo("payments-credentials");
              assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(e.getName());
            });
  }

  @Test
  void configHashChangesIfAndOnlyIfTheConfigChanges() {
    String before = hash(deployment());
    assertThat(before).matches("[0-9a-f]{64}");

    pipeline.getSpec().getWorkers().setReplicas(5); // not part of the worker's config
    assertThat(hash(deployment())).isEqualTo(before);

    pipeline.getSpec().getStorage().setRetentionDays(14); // same value again
    assertThat(hash(deployment())).isEqualTo(before);

    pipeline.getSpec().getCache().setRecentPerService(100);
    assertThat(hash(deployment())).isNotEqualTo(before);
  }

  @Test
  void withKafkaAuthenticationTheWorkerLogsInAsItsOwnUserWithThePasswordByReference() {
    assertThat(env(deployment())).noneMatch(e -> e.getName().startsWith("LOGPIPE_KAFKA_"));

    TestingFixtures.scram(backend, "logs-kafka-bootstrap.kafka:9095");
    List<EnvVar> env = env(deployment());
    assertThat(env)
        .filteredOn(e -> e.getName().equals("LOGPIPE_KAFKA_USER"))
        .singleElement()
        .satisfies(
            e -> assertThat(e.getValue()).isEqualTo("logpipe.team-payments.payments.worker"));
    assertThat(env)
        .filteredOn(e -> e.getName().equals("LOGPIPE_KAFKA_PASSWORD"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getValue()).isNull();
              assertThat(e.getValueFrom().getSecretKeyRef().getName())
                  .isEqualTo("payments-credentials");
              assertThat(e.getValueFrom().getSecretKeyRef().getKey())
                  .isEqualTo("LOGPIPE_KAFKA_WORKER_PASSWORD");
              assertThat(e.getValueFrom().getSecretKeyRef().getOptional()).isFalse();
            });
  }

  private static List<EnvVar> env(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
  }
}
