package dev.logpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.operator.config.OperatorConfig;
import dev.logpipe.operator.model.PipelineNames;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A steady pipeline is not re-applied on every reconciliation: the real API server records the
 * operator's managedFields, so JOSDK's SSA matcher finds its dependents unchanged and the operator
 * sends no write at all (counted on its client: an apply that changes nothing would leave the
 * resourceVersions alone and hide itself); the objects' resourceVersions stay put across several
 * resyncs too.
 */
class SandboxSteadyStateIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final PipelineNames NAMES = PipelineNames.of("team-payments", "payments", "logs_");
  static final int RESYNCS = 4;

  @TempDir Path dir;

  @Test
  void aSteadyPipelineIsNotReappliedOnResync() {
    SandboxOptions options = new SandboxOptions(REPO, dir, null, 0, 0, true, true);
    // The shortest resync the operator accepts, so several pass within the test.
    Map<String, String> operatorEnv = Map.of(OperatorConfig.RESYNC_SECONDS, "5");
    try (Sandbox sandbox =
        new Sandbox(options, operatorEnv).start(s -> System.out.println("sandbox: " + s))) {
      PipelineWatch pipeline = new PipelineWatch(sandbox.client(), "team-payments", "payments");
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(pipeline::ready);
      // Settled: the pods' readiness reached the Deployments and the status was written.
      Map<String, String> before = new LinkedHashMap<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(3))
          .until(
              () -> {
                Map<String, String> now = resourceVersions(sandbox.client());
                boolean same = now.equals(before);
                before.clear();
                before.putAll(now);
                return same && pipeline.ready();
              });
      long reconciles = reconciliations(sandbox);
      int writesBefore = sandbox.operatorRequests().writes().size();
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> reconciliations(sandbox) >= reconciles + RESYNCS);
      List<String> all = sandbox.operatorRequests().writes();
      List<String> writes = all.subList(writesBefore, all.size());
      System.out.printf(
          "reconciliations during the check: %d, operator writes: %s%n",
          reconciliations(sandbox) - reconciles, writes);
      assertThat(resourceVersions(sandbox.client()))
          .as("resourceVersions after %d reconciliations", RESYNCS)
          .isEqualTo(before);
      assertThat(writes).as("write requests sent by the operator while nothing changed").isEmpty();
      assertThat(pipeline.ready()).isTrue();
      assertThat(sandbox.operatorRequests().forbidden())
          .as("refused by the chart's RBAC")
          .isEmpty();
    }
  }

  /** Successful LogPipeline reconciliations so far (JOSDK's counter). */
  private static long reconciliations(Sandbox sandbox) {
    return (long)
        sandbox.meters().find("operator.sdk.reconciliations.success").counters().stream()
            .filter(
                c ->
                    "LogPipeline".equals(c.getId().getTag("kind"))
                        || "LogPipeline".equals(c.getId().getTag("resource.kind")))
            .mapToDouble(Counter::count)
            .sum();
  }

  private static Map<String, String> resourceVersions(KubernetesClient client) {
    Map<String, String> versions = new LinkedHashMap<>();
    String ns = NAMES.namespace();
    put(versions, client.apps().deployments().inNamespace(ns).withName(NAMES.workerDeployment()));
    put(versions, client.apps().deployments().inNamespace(ns).withName(NAMES.gatewayDeployment()));
    put(versions, client.configMaps().inNamespace(ns).withName(NAMES.configMap()));
    put(versions, client.secrets().inNamespace(ns).withName(NAMES.credentialsSecret()));
    put(versions, client.secrets().inNamespace(ns).withName(NAMES.gatewayTokenSecret()));
    put(versions, client.services().inNamespace(ns).withName(NAMES.gatewayService()));
    versions.put(
        "LogPipeline",
        new PipelineWatch(client, ns, NAMES.name()).get().getMetadata().getResourceVersion());
    return versions;
  }

  private static void put(
      Map<String, String> versions,
      io.fabric8.kubernetes.client.dsl.Resource<? extends HasMetadata> resource) {
    HasMetadata object = resource.get();
    assertThat(object).as("an object of the pipeline").isNotNull();
    versions.put(
        object.getKind() + "/" + object.getMetadata().getName(),
        object.getMetadata().getResourceVersion());
  }
}
