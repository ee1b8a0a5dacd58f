package dev.logpipe.operator.reconciler;

import static dev.logpipe.operator.testing.TestingLogpipe.OPERATOR_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.STRIMZI_NS;
import static dev.logpipe.operator.testing.TestingLogpipe.isTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.devservices.DevServices;
import dev.logpipe.devservices.junit.WithDevServices;
import dev.logpipe.operator.model.SecretHashes;
import dev.logpipe.operator.model.WorkerDeploymentFactory;
import dev.logpipe.operator.testing.TestingLogpipe;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A changed Secret rolls exactly the pods that read it: the backend password (copied into the
 * pipeline's credentials Secret) rolls the worker and the gateway, which both read it; the gateway
 * token rolls only the gateway; unrelated Secrets roll nothing. Pod templates carry hashes, never
 * values.
 */
@WithDevServices({DevServices.Kind.CLICKHOUSE})
class SecretRotationIT {
  private static final String NS = "team-rotate";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static TestingLogpipe env;
  private static DevServices services;

  @BeforeAll
  static void start(DevServices devServices) {
    services = devServices;
    env = new TestingLogpipe();
    env.namespace(NS, true);
    env.clickHouseSecret(services);
    env.backend("default", services.clickHouseUrl(), "clickhouse-admin", null);
  }

  @AfterAll
  static void stop() {
    env.close();
  }

  @Test
  void eachSecretRollsOnlyItsReaders() {
    env.pipeline(NS, "rotating", s -> s.getGateway().setEnabled(true));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              env.children().markTopicsReady(STRIMZI_NS);
              env.children().markDeploymentsAvailable(NS);
              assertThat(isTrue(env.get(NS, "rotating"), "Ready")).isTrue();
            });
    Map<String, String> worker = pod("rotating-worker");
    Map<String, String> gateway = pod("rotating-gateway");
    assertThat(worker).containsKey(SecretHashes.CREDENTIALS);
    assertThat(gateway).containsKeys(SecretHashes.CREDENTIALS, SecretHashes.GATEWAY_TOKEN);

    // The backend password changes: the copy follows, and both readers roll.
    String user = services.clickhouse().user();
    String password = services.clickhouse().password();
    env.secret("clickhouse-admin", user, password + "-rotated");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(pod("rotating-worker").get(SecretHashes.CREDENTIALS))
                  .isNotEqualTo(worker.get(SecretHashes.CREDENTIALS));
              assertThat(pod("rotating-gateway").get(SecretHashes.CREDENTIALS))
                  .isNotEqualTo(gateway.get(SecretHashes.CREDENTIALS));
            });
    assertThat(pod("rotating-worker").toString()).doesNotContain(password + "-rotated");
    env.secret("clickhouse-admin", user, password);
    await().atMost(WAIT).untilAsserted(() -> assertThat(pod("rotating-worker")).isEqualTo(worker));
    Map<String, String> gatewayNow = pod("rotating-gateway");
    assertThat(gatewayNow).isEqualTo(gateway);

    // Unrelated Secrets change first, then the token: the reconcile that rolls the gateway for
    // the token has seen them, and rolled nothing for them.
    unrelatedSecret(OPERATOR_NS);
    unrelatedSecret(NS);
    env.client()
        .secrets()
        .inNamespace(NS)
        .withName("rotating-gateway-token")
        .edit(
            s -> {
              s.setData(Map.of("token", b64("a-new-token-set-by-an-admin-0123456789")));
              return s;
            });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(pod("rotating-gateway").get(SecretHashes.GATEWAY_TOKEN))
                    .isNotEqualTo(gateway.get(SecretHashes.GATEWAY_TOKEN)));
    assertThat(pod("rotating-gateway").get(SecretHashes.CREDENTIALS))
        .isEqualTo(gateway.get(SecretHashes.CREDENTIALS));
    assertThat(pod("rotating-gateway").get(WorkerDeploymentFactory.CONFIG_HASH_ANNOTATION))
        .isEqualTo(gateway.get(WorkerDeploymentFactory.CONFIG_HASH_ANNOTATION));
    assertThat(pod("rotating-worker")).isEqualTo(worker);
  }

  private static void unrelatedSecret(String namespace) {
    env.client()
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("unrelated")
                .withNamespace(namespace)
                .endMetadata()
                .withData(Map.of("password", b64("changes-all-the-time-" + System.nanoTime())))
                .build())
        .createOr(r -> r.update());
  }

  private static Map<String, String> pod(String deployment) {
    return env.client()
        .apps()
        .deployments()
        .inNamespace(NS)
        .withName(deployment)
        .get()
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes());
  }
}
