package dev.logpipe.operator.model;

import dev.logpipe.operator.api.v1alpha1.LogPipelineSpec;
import dev.logpipe.worker.config.PipelineConfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;

/**
 * The gateway Deployment ({@code pipeline-worker gateway}) of one pipeline: the worker's image,
 * ConfigMap and credentials, plus the bearer token by reference to the token Secret.
 */
public final class GatewayDeploymentFactory {
  public static final String COMPONENT = "gateway";

  /** The variable the gateway reads its bearer token from. */
  public static final String TOKEN_ENV = "LOGPIPE_GATEWAY_TOKEN";

  // An ingest request is answered only after Kafka acknowledged it; 30 s covers one in flight.
  static final long TERMINATION_GRACE_SECONDS = 30;

  private final WorkerImage image;

  public GatewayDeploymentFactory(WorkerImage image) {
    this.image = image;
  }

  /**
   * @param credentials the pipeline's credentials Secret, or null when it does not exist yet
   * @param token the gateway token Secret, or null when it does not exist yet
   */
  public Deployment desired(
      PipelineNames names,
      LogPipelineSpec spec,
      PipelineConfig config,
      Secret credentials,
      Secret token) {
    return PipelineDeployments.build(
        image,
        names,
        config,
        new PipelineDeployments.Workload(
            COMPONENT,
            names.gatewayDeployment(),
            "gateway",
            spec.getGateway().getReplicas(),
            "gateway",
            List.of(
                PipelineDeployments.fromSecret(
                    TOKEN_ENV, names.gatewayTokenSecret(), GatewayTokenSecretFactory.KEY, false)),
            spec.getGateway().getResources(),
            TERMINATION_GRACE_SECONDS,
            SecretHashes.gateway(credentials, token),
            new PipelineDeployments.KafkaIdentity(
                KafkaUserFactory.gatewayUser(names),
                CredentialsSecretFactory.KAFKA_GATEWAY_PASSWORD)));
  }
}
