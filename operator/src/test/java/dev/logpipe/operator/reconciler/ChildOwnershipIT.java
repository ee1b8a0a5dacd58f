package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.api.v1alpha1.BatchSpec;
import dev.logpipe.operator.model.WorkerDeploymentFactory;
import dev.logpipe.operator.testing.TestingLogpipe;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Server-side apply field ownership of the worker Deployment on a real API server: a field the
 * operator owns, changed by a user, is put back; a label a user adds survives the operator's next
 * apply; a user's non-forced apply of an operator-owned field is refused with a conflict naming the
 * operator's field manager, and a forced one is undone by the operator.
 */
@WithDevServices({DevServices.Kind.CLICKHOUSE, DevServices.Kind.REDIS})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChildOwnershipIT {
  private static final String NS = "team-own";
  private static final String WORKER = "owned-worker";
  private static TestingLogpipe env;
  private static String image;

  @BeforeAll
  static void start(DevServices services) {
    env = TestingLogpipe.onRealServer();
    env.namespace(NS, true);
    env.defaultBackend(services);
    env.pipeline(NS, "owned", s -> {});
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              env.children().markTopicsReady(STRIMZI_NS);
              assertThat(isTrue(env.get(NS, "owned"), "Ready")).isTrue();
            });
    image = container(worker()).getImage();
  }

  @AfterAll
  static void stop() {
    env.close();
  }

  @Test
  @Order(1)
  void anOperatorOwnedFieldEditedByAUserIsPutBack() {
    assertThat(managers(worker())).contains(LogPipelineReconciler.NAME);
    // As `kubectl set image` would: a strategic merge patch, no resourceVersion to race on.
    Deployment edited =
        patch(
            PatchType.STRATEGIC_MERGE,
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"%s\",\"image\":\"%s\"}]}}}}"
                .formatted(container(worker()).getName(), "registry.example/someone-else:latest"));
    // The server's answer to the patch: a re-read may already see the operator's repair.
    assertThat(container(edited).getImage()).isEqualTo("registry.example/someone-else:latest");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(container(worker()).getImage()).isEqualTo(image));
  }

  @Test
  @Order(2)
  void aLabelAUserAddsSurvivesTheOperatorsNextApply() {
    // As `kubectl label` would: a merge patch of metadata.labels.
    patch(
        PatchType.JSON_MERGE,
        "{\"metadata\":{\"labels\":{\"team.example/cost-center\":\"payments\"}}}");
    String hash = hash(worker());

    // A spec change makes the operator apply a new pod template to the Deployment.
    env.edit(
        NS,
        "owned",
        s -> {
          s.setBatch(new BatchSpec());
          s.getBatch().setMaxRows(12_345);
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(hash(worker())).isNotEqualTo(hash));

    assertThat(worker().getMetadata().getLabels())
        .containsEntry("team.example/cost-center", "payments");
  }

  @Test
  @Order(3)
  void aUsersApplyOfAnOperatorOwnedFieldConflictsUnlessForcedAndForcingIsUndone() {
    String patch =
        """
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "%s", "namespace": "%s"},
         "spec": {"template": {"spec": {"containers": [{"name": "%s", "image": "x/y:z"}]}}}}
        """
            .formatted(WORKER, NS, container(worker()).getName());

    KubernetesClientException conflict =
        catchThrowableOfType(() -> apply(patch, false), KubernetesClientException.class);

    assertThat(conflict).isNotNull();
    assertThat(conflict.getCode()).isEqualTo(409);
    assertThat(conflict.getStatus().getMessage())
        .contains("conflict with \"" + LogPipelineReconciler.NAME + "\"")
        .contains(
            ".spec.template.spec.containers[name=\"" + container(worker()).getName() + "\"].image");
    assertThat(container(worker()).getImage()).isEqualTo(image);

    apply(patch, true);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(container(worker()).getImage()).isEqualTo(image));
  }

  private static Deployment apply(String patch, boolean force) {
    return env.client()
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName(WORKER)
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager("someone")
                .withForce(force)
                .build(),
            patch);
  }

  private static Deployment patch(PatchType type, String patch) {
    return env.client()
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName(WORKER)
        .patch(PatchContext.of(type), patch);
  }

  private static Deployment worker() {
    return env.client().apps().deployments().inNamespace(NS).withName(WORKER).get();
  }

  private static io.fabric8.kubernetes.api.model.Container container(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static String hash(Deployment d) {
    return d.getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get(WorkerDeploymentFactory.CONFIG_HASH_ANNOTATION);
  }

  private static java.util.List<String> managers(Deployment d) {
    return d.getMetadata().getManagedFields().stream().map(ManagedFieldsEntry::getManager).toList();
  }
}
