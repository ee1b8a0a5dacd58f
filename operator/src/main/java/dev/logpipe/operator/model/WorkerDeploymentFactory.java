package dev.logpipe.operator.model;

import dev.logpipe.operator.api.v1alpha1.LogPipelineSpec;
import dev.logpipe.worker.config.PipelineConfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;

/** The worker Deployment ({@code pipeline-worker consume}) of one pipeline. */
public final class WorkerDeploymentFactory {
  /** The app.kubernetes.io/component label of the worker Deployment and its pods. */
  public static final String COMPONENT = "worker";

  public static final String CONFIG_HASH_ANNOTATION = "logpipe.dev/config-hash";
  public static final String CONFIG_DIR = PipelineDeployments.CONFIG_DIR;
  public static final int HTTP_PORT = PipelineDeployments.HTTP_PORT;
  static final String PORT_NAME = PipelineDeployments.PORT_NAME;
  // Long enough for a worker to store its in-flight batch before it stops.
  static final long TERMINATION_GRACE_SECONDS = 60;

  private final WorkerImage image;

  public WorkerDeploymentFactory(WorkerImage image) {
    this.image = image;
  }

  /**
   * @param credentials the pipeline's credentials Secret as the pods will read it (its hash goes on
   *     the pod template), or null when it does not exist yet
   */
  public Deployment desired(
      PipelineNames names, LogPipelineSpec spec, PipelineConfig config, Secret credentials) {
    return PipelineDeployments.build(
        image,
        names,
        config,
        new PipelineDeployments.Workload(
            COMPONENT,
            names.workerDeployment(),
            "worker",
            spec.getWorkers().getReplicas(),
            "consume",
            List.of(),
            spec.getWorkers().getResources(),
            TERMINATION_GRACE_SECONDS,
            SecretHashes.worker(credentials),
            new PipelineDeployments.KafkaIdentity(
                KafkaUserFactory.workerUser(names),
                CredentialsSecretFactory.KAFKA_WORKER_PASSWORD)));
  }
}
