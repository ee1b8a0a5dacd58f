package dev.logpipe.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.logpipe.deploy.Repo;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** helm lint, and what `helm install` with no values puts in the cluster. */
class ChartDefaultsTest {
  private static Chart.Rendered rendered;

  @BeforeAll
  static void render() {
    rendered = Chart.render(Map.of());
  }

  @Test
  void lintPasses() {
    LintResult result = new Helm(Repo.CHART).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void rendersTheOperatorAndNothingOptional() {
    assertThat(rendered.names())
        .containsExactlyInAnyOrder(
            "ServiceAccount logpipe-system/" + Chart.FULLNAME,
            "ClusterRole -/" + Chart.FULLNAME,
            "ClusterRoleBinding -/" + Chart.FULLNAME,
            "Role logpipe-system/" + Chart.FULLNAME,
            "RoleBinding logpipe-system/" + Chart.FULLNAME,
            "Service logpipe-system/" + Chart.FULLNAME + "-metrics",
            "Deployment logpipe-system/" + Chart.FULLNAME,
            "ConfigMap logpipe-system/" + Chart.FULLNAME + "-dashboard-logpipe-clickhouse",
            "ConfigMap logpipe-system/" + Chart.FULLNAME + "-dashboard-logpipe-logs",
            "ConfigMap logpipe-system/" + Chart.FULLNAME + "-dashboard-logpipe-metrics");
  }

  @Test
  void operatorRunsNonRootWithAReadOnlyRootFilesystemAndNoCapabilities() {
    JsonNode pod = deployment().path("spec").path("template").path("spec");
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.path("securityContext").path("runAsUser").asInt()).isPositive();
    assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText())
        .isEqualTo("RuntimeDefault");
    JsonNode container = pod.path("containers").get(0);
    JsonNode sc = container.path("securityContext");
    assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(sc.path("allowPrivilegeEscalation").isBoolean()).isTrue();
    assertThat(sc.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(sc.path("capabilities").path("drop").toString()).isEqualTo("[\"ALL\"]");
    // A read-only root needs somewhere to write: /tmp is an emptyDir.
    assertThat(container.path("volumeMounts").toString()).contains("\"/tmp\"");
    assertThat(pod.path("volumes").get(0).has("emptyDir")).isTrue();
    assertThat(container.path("resources").path("requests").path("memory").asText()).isNotEmpty();
    assertThat(container.path("resources").path("limits").path("memory").asText()).isNotEmpty();
    assertThat(pod.path("serviceAccountName").asText()).isEqualTo(Chart.FULLNAME);
  }

  @Test
  void probesHitHealthzOnTheHttpPort() {
    JsonNode container = container();
    for (String probe : new String[] {"livenessProbe", "readinessProbe"}) {
      JsonNode get = container.path(probe).path("httpGet");
      assertThat(get.path("path").asText()).as(probe).isEqualTo("/healthz");
      assertThat(get.path("port").asText()).as(probe).isEqualTo("http");
    }
    assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8080);
  }

  @Test
  void environmentCarriesTheOperatorConfiguration() {
    Map<String, String> env = env(container());
    assertThat(env)
        .containsEntry("LOGPIPE_WATCH_NAMESPACES", "")
        .containsEntry("LOGPIPE_KAFKA_NAMESPACES", "")
        .containsEntry("LOGPIPE_RECONCILE_THREADS", "5")
        .containsEntry("LOGPIPE_RESYNC_SECONDS", "300")
        .containsEntry("LOGPIPE_WORKER_IMAGE", "ghcr.io/logpipe/pipeline-worker:0.1.0")
        .containsEntry("LOGPIPE_WORKER_IMAGE_PULL_POLICY", "IfNotPresent")
        .containsEntry("LOGPIPE_OPERATOR_NAMESPACE", "fieldRef:metadata.namespace")
        .containsEntry("LOGPIPE_LEADER_ELECTION", "true")
        .containsEntry("LOGPIPE_HTTP_PORT", "8080");
    assertThat(container().path("image").asText())
        .isEqualTo("ghcr.io/logpipe/logpipe-operator:0.1.0");
  }

  @Test
  void leaderElectionAllowsRollingUpdates() {
    JsonNode spec = deployment().path("spec");
    assertThat(spec.path("replicas").asInt()).isEqualTo(1);
    assertThat(spec.path("strategy").path("type").asText()).isEqualTo("RollingUpdate");
  }

  @Test
  void metricsServiceSelectsTheOperatorPod() {
    JsonNode service = rendered.get("Service", Chart.FULLNAME + "-metrics");
    JsonNode podLabels = deployment().path("spec").path("template").path("metadata").path("labels");
    service
        .path("spec")
        .path("selector")
        .fields()
        .forEachRemaining(
            e -> assertThat(podLabels.path(e.getKey()).asText()).isEqualTo(e.getValue().asText()));
    assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText())
        .isEqualTo("http");
  }

  @Test
  void dashboardsCarryTheGrafanaSidecarLabel() {
    for (JsonNode cm : rendered.ofKind("ConfigMap")) {
      assertThat(cm.path("metadata").path("labels").path("grafana_dashboard").asText())
          .isEqualTo("1");
      String json = cm.path("data").fields().next().getValue().asText();
      assertThat(json).startsWith("{").contains("\"uid\"");
    }
  }

  private static JsonNode deployment() {
    return rendered.get("Deployment", Chart.FULLNAME);
  }

  private static JsonNode container() {
    return deployment().path("spec").path("template").path("spec").path("containers").get(0);
  }

  /** name → value, or "fieldRef:&lt;path&gt;" for downward-API variables. */
  static Map<String, String> env(JsonNode container) {
    Map<String, String> env = new HashMap<>();
    for (JsonNode e : container.path("env")) {
      String value =
          e.has("valueFrom")
              ? "fieldRef:" + e.path("valueFrom").path("fieldRef").path("fieldPath").asText()
              : e.path("value").asText();
      env.put(e.path("name").asText(), value);
    }
    return env;
  }
}
