package dev.logpipe.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logpipe.deploy.Repo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chart with src/test/resources/chart/custom-values.yaml: every optional part switched. */
class ChartValuesTest {
  static final Path CUSTOM = Path.of("src/test/resources/chart/custom-values.yaml");
  private static Chart.Rendered rendered;

  @BeforeAll
  static void render() {
    rendered = Chart.render(t -> t.withValuesFile(CUSTOM.toAbsolutePath()));
  }

  @Test
  void operatorGetsTheNamespaceListAndThePinnedWorkerImage() {
    JsonNode deployment = rendered.get("Deployment", Chart.FULLNAME);
    JsonNode container =
        deployment.path("spec").path("template").path("spec").path("containers").get(0);
    assertThat(ChartDefaultsTest.env(container))
        .containsEntry("LOGPIPE_WATCH_NAMESPACES", "team-a,team-b")
        .containsEntry("LOGPIPE_KAFKA_NAMESPACES", "kafka")
        .containsEntry("LOGPIPE_RECONCILE_THREADS", "8")
        .containsEntry("LOGPIPE_RESYNC_SECONDS", "120")
        .containsEntry(
            "LOGPIPE_WORKER_IMAGE",
            "europe-docker.pkg.dev/acme/logpipe/pipeline-worker@sha256:"
                + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
        .containsEntry("LOGPIPE_WORKER_IMAGE_PULL_POLICY", "Always")
        .containsEntry("EXTRA", "yes");
    assertThat(container.path("image").asText())
        .isEqualTo("ghcr.io/logpipe/logpipe-operator:1.2.3");
    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
    assertThat(
            rendered
                .get("ServiceAccount", Chart.FULLNAME)
                .path("metadata")
                .path("annotations")
                .path("iam.gke.io/gcp-service-account")
                .asText())
        .isEqualTo("logpipe@acme.iam.gserviceaccount.com");
  }

  @Test
  void serviceMonitorSelectsTheMetricsServiceAndCarriesThePrometheusLabel() {
    JsonNode monitor = rendered.get("ServiceMonitor", Chart.FULLNAME);
    assertThat(monitor.path("metadata").path("labels").path("release").asText())
        .isEqualTo("kube-prometheus-stack");
    JsonNode serviceLabels =
        rendered.get("Service", Chart.FULLNAME + "-metrics").path("metadata").path("labels");
    monitor
        .path("spec")
        .path("selector")
        .path("matchLabels")
        .fields()
        .forEachRemaining(
            e ->
                assertThat(serviceLabels.path(e.getKey()).asText())
                    .isEqualTo(e.getValue().asText()));
    assertThat(monitor.path("spec").path("endpoints").get(0).path("port").asText())
        .isEqualTo("http");
  }

  @Test
  void podMonitorScrapesWorkersInTheWatchedNamespaces() {
    JsonNode spec = rendered.get("PodMonitor", Chart.FULLNAME + "-workers").path("spec");
    assertThat(spec.path("namespaceSelector").path("matchNames").toString())
        .isEqualTo("[\"team-a\",\"team-b\"]");
    // The labels WorkerDeploymentFactory puts on every worker pod.
    assertThat(spec.path("selector").path("matchLabels").path("app.kubernetes.io/part-of").asText())
        .isEqualTo("logpipe");
  }

  @Test
  void backendReferencesSecretsDefaultingToTheReleaseNamespace() {
    JsonNode spec = rendered.get("ClusterLogBackend", "default").path("spec");
    assertThat(spec.has("name")).isFalse();
    assertThat(spec.path("clickhouse").path("credentialsSecret").toString())
        .isEqualTo("{\"name\":\"clickhouse-admin\",\"namespace\":\"logpipe-system\"}");
    assertThat(spec.path("redis").path("credentialsSecret").path("namespace").asText())
        .isEqualTo("redis");
    assertThat(spec.path("kafka").path("strimziCluster").path("name").asText()).isEqualTo("logs");
    assertThat(spec.path("allowedNamespaces").path("matchLabels").path("logging").asText())
        .isEqualTo("enabled");
  }

  @Test
  void dashboardsOffMeansNoDashboardConfigMaps() {
    assertThat(rendered.ofKind("ConfigMap"))
        .extracting(cm -> cm.path("metadata").path("name").asText())
        .containsExactly(Chart.FULLNAME + "-argocd-health");
  }

  @Test
  void argoCdConfigMapHoldsTheShippedHealthCheckForBothKinds() {
    JsonNode data = rendered.get("ConfigMap", Chart.FULLNAME + "-argocd-health").path("data");
    String script = Repo.read(Repo.CHART.resolve("argocd/health.lua")).strip();
    for (String kind : List.of("LogPipeline", "ClusterLogBackend")) {
      assertThat(data.path("resource.customizations.health.logpipe.dev_" + kind).asText())
          .isEqualTo(script);
    }
  }

  @Test
  void withoutLeaderElectionTheOldPodStopsBeforeTheNewOneStarts() {
    JsonNode deployment =
        Chart.render(Map.of("leaderElection.enabled", false)).get("Deployment", Chart.FULLNAME);
    assertThat(deployment.path("spec").path("strategy").path("type").asText())
        .isEqualTo("Recreate");
  }
}
