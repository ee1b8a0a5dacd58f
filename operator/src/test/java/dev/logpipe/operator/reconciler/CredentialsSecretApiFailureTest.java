package dev.logpipe.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.logpipe.operator.TestingFixtures;
import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.dependent.CredentialsSecretDependentResource;
import dev.logpipe.operator.dependent.PipelineInputs;
import dev.logpipe.operator.model.PipelineNames;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Adversarial review of issue 14: the credentials Secret dependent can fail with something other
 * than a BackendException, e.g. the API server refusing the write (422: a rotation request value
 * too long for the Secret's annotations, an immutable Secret; 403, 5xx). KafkaUserReadiness then
 * asks an immutable {@code Set.of(...)} whether it contains a null reason, which throws
 * NullPointerException: the whole status build fails, the reconcile ends in {@code
 * event=reconcile_failed ... NullPointerException} on every retry, and the LogPipeline's status
 * stays frozen at whatever it said before (seen in SandboxRotationStallIT: "waiting for Strimzi's
 * User Operator" while Strimzi had long renewed the password).
 */
class CredentialsSecretApiFailureTest {
  @Test
  void aCredentialsSecretRefusedByTheApiServerIsReportedNotThrown() {
    ClusterLogBackend backend = TestingFixtures.scram(TestingFixtures.backend(), "kafka:9095");
    LogPipeline pipeline = TestingFixtures.pipeline("team-a", "orders");
    PipelineInputs in = new PipelineInputs(pipeline, backend, PipelineNames.of(pipeline, backend));
    Map<String, Exception> errors =
        Map.of(
            CredentialsSecretDependentResource.NAME,
            new KubernetesClientException(
                "Secret \"orders-credentials\" is invalid: metadata.annotations: Too long: must"
                    + " have at most 262144 bytes",
                422,
                null));

    assertThatCode(() -> KafkaUserReadiness.of(in, errors, List.of())).doesNotThrowAnyException();
  }
}
