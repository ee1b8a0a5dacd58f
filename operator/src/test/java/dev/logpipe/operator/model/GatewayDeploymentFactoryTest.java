package dev.logpipe.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.worker.config.Credentials;
import dev.logpipe.worker.config.PipelineConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayDeploymentFactoryTest {
  private final WorkerImage image = new WorkerImage("ghcr.io/logpipe/worker:0.1.0", "IfNotPresent");
  private final ClusterLogBackend backend = TestingFixtures.backend();
  private final LogPipeline pipeline = TestingFixtures.pipeline("team-payments", "payments");
  private final PipelineNames names = PipelineNames.of(pipeline, backend);

  private PipelineConfig config() {
    return PipelineConfigFactory.build(names, pipeline.getSpec(), backend.getSpec());
  }

  private Secret credentials = secret("CLICKHOUSE_PASSWORD", "b2xk");
  private Secret token = secret("token", "dG9rZW4tb25l");

  private static Secret secret(String key, String base64) {
    return new SecretBuilder().withData(Map.of(key, base64)).build();
  }

  private Deployment gateway() {
    pipeline.getSpec().getGateway().setEnabled(true);
    return new GatewayDeploymentFactory(image)
        .desired(names, pipeline.getSpec(), config(), credentials, token);
  }

  private Deployment worker() {
    return new WorkerDeploymentFactory(image)
        .desired(names, pipeline.getSpec(), config(), credentials);
  }

  private static Map<String, String> podAnnotations(Deployment d) {
    return d.getSpec().getTemplate().getMetadata().getAnnotations();
  }

  @Test
  void changedPasswordRollsWorkerAndGatewayAndChangedTokenRollsOnlyTheGateway() {
    Map<String, String> worker = podAnnotations(worker());
    Map<String, String> gateway = podAnnotations(gateway());

    credentials = secret("CLICKHOUSE_PASSWORD", "bmV3");
    // Both read the ClickHouse credentials (the gateway answers queries), so both roll.
    assertThat(podAnnotations(worker())).isNotEqualTo(worker);
    assertThat(podAnnotations(gateway())).isNotEqualTo(gateway);
    worker = podAnnotations(worker());
    gateway = podAnnotations(gateway());

    token = secret("token", "dG9rZW4tdHdv");
    assertThat(podAnnotations(worker())).isEqualTo(worker);
    assertThat(podAnnotations(gateway())).isNotEqualTo(gateway);
    assertThat(podAnnotations(gateway()).get(SecretHashes.CREDENTIALS))
        .isEqualTo(gateway.get(SecretHashes.CREDENTIALS));
  }

  @Test
  void eachKafkaPasswordRollsOnlyThePodsThatLogInWithIt() {
    TestingFixtures.scram(backend, "logs-kafka-bootstrap.kafka:9095");
    credentials =
        new SecretBuilder()
            .withData(
                Map.of(
                    "LOGPIPE_KAFKA_WORKER_PASSWORD",
                    "dzE=",
                    "LOGPIPE_KAFKA_GATEWAY_PASSWORD",
                    "ZzE="))
            .build();
    Map<String, String> worker = podAnnotations(worker());
    Map<String, String> gateway = podAnnotations(gateway());

    credentials.getData().put("LOGPIPE_KAFKA_GATEWAY_PASSWORD", "ZzI=");
    assertThat(podAnnotations(worker())).isEqualTo(worker);
    assertThat(podAnnotations(gateway())).isNotEqualTo(gateway);
    gateway = podAnnotations(gateway());

    credentials.getData().put("LOGPIPE_KAFKA_WORKER_PASSWORD", "dzI=");
    assertThat(podAnnotations(worker())).isNotEqualTo(worker);
    assertThat(podAnnotations(gateway())).isEqualTo(gateway);
  }

  @Test
  void podTemplatesCarryHashesNeverSecretValues() {
    String all = podAnnotations(gateway()).toString() + podAnnotations(worker());
    assertThat(all).doesNotContain("b2xk", "dG9rZW4tb25l", "old", "token-one");
    assertThat(podAnnotations(worker())).doesNotContainKey(SecretHashes.GATEWAY_TOKEN);
  }

  @Test
  void runsTheGatewayCommandOnTheWorkersImageAndConfigMap() {
    pipeline.getSpec().getGateway().setReplicas(3);
    pipeline
        .getSpec()
        .getGateway()
        .setResources(
            new ResourceRequirementsBuilder().addToLimits("cpu", new Quantity("500m")).build());

    Deployment d = gateway();
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);

    assertThat(d.getMetadata().getName()).isEqualTo("payments-gateway");
    assertThat(d.getMetadata().getNamespace()).isEqualTo("team-payments");
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(c.getImage()).isEqualTo("ghcr.io/logpipe/worker:0.1.0");
    assertThat(c.getArgs()).containsExactly("gateway", "--config", "/etc/logpipe/pipeline.json");
    assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(8080);
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getResources().getLimits()).containsEntry("cpu", new Quantity("500m"));
    assertThat(pod.getVolumes().get(0).getConfigMap().getName())
        .isEqualTo("payments-pipeline-config");
  }

  @Test
  void sharesTheWorkersPodHardeningButSelectsOnlyGatewayPods() {
    Deployment g = gateway();
    Deployment w = worker();
    PodSpec gp = g.getSpec().getTemplate().getSpec();
    PodSpec wp = w.getSpec().getTemplate().getSpec();

    assertThat(gp.getSecurityContext()).isEqualTo(wp.getSecurityContext());
    assertThat(gp.getContainers().get(0).getSecurityContext())
        .isEqualTo(wp.getContainers().get(0).getSecurityContext());
    assertThat(gp.getVolumes()).isEqualTo(wp.getVolumes());
    assertThat(gp.getAutomountServiceAccountToken()).isFalse();
    assertThat(g.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(g.getSpec().getSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/component", "gateway");
    // Neither Deployment's selector may claim the other's pods.
    assertThat(w.getSpec().getTemplate().getMetadata().getLabels())
        .doesNotContainEntry("app.kubernetes.io/component", "gateway");
    assertThat(g.getSpec().getSelector().getMatchLabels())
        .isNotEqualTo(w.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void tokenAndCredentialsOnlyBySecretReferenceNeverAsValues() {
    Container c = gateway().getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(c.getEnv()).allSatisfy(e -> assertThat(e.getValue()).isNull());
    EnvVar token =
        c.getEnv().stream()
            .filter(e -> e.getName().equals("LOGPIPE_GATEWAY_TOKEN"))
            .findFirst()
            .orElseThrow();
    assertThat(token.getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("payments-gateway-token");
    assertThat(token.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
    assertThat(token.getValueFrom().getSecretKeyRef().getOptional()).isFalse();
    EnvVar password =
        c.getEnv().stream()
            .filter(e -> e.getName().equals(Credentials.CLICKHOUSE_PASSWORD))
            .findFirst()
            .orElseThrow();
    assertThat(password.getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("payments-credentials");
  }

  @Test
  void configChangeRollsTheGatewayPods() {
    String before = hash(gateway());
    pipeline.getSpec().getCache().setQueryTtlSeconds(5);
    assertThat(hash(gateway())).isNotEqualTo(before);
  }

  private static String hash(Deployment d) {
    return d.getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get(WorkerDeploymentFactory.CONFIG_HASH_ANNOTATION);
  }

  @Test
  void withKafkaAuthenticationTheGatewayLogsInAsTheGatewayUserNotTheWorkers() {
    TestingFixtures.scram(backend, "logs-kafka-bootstrap.kafka:9095");
    var env = gateway().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertThat(env)
        .filteredOn(e -> e.getName().equals("LOGPIPE_KAFKA_USER"))
        .singleElement()
        .satisfies(
            e -> assertThat(e.getValue()).isEqualTo("logpipe.team-payments.payments.gateway"));
    assertThat(env)
        .filteredOn(e -> e.getName().equals("LOGPIPE_KAFKA_PASSWORD"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValueFrom().getSecretKeyRef().getKey())
                    .isEqualTo("LOGPIPE_KAFKA_GATEWAY_PASSWORD"));
    assertThat(env)
        .noneMatch(
            e ->
                e.getValueFrom() != null
                    && e.getValueFrom().getSecretKeyRef() != null
                    && "LOGPIPE_KAFKA_WORKER_PASSWORD"
                        .equals(e.getValueFrom().getSecretKeyRef().getKey()));
  }
}
