package dev.logpipe.sandbox.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.operator.model.CredentialRotation;
import dev.logpipe.operator.model.KafkaUserFactory;
import dev.logpipe.operator.model.PipelineNames;
import dev.logpipe.sandbox.PipelineWatch;
import dev.logpipe.sandbox.Sandbox;
import dev.logpipe.sandbox.SandboxOptions;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adversarial review of issue 14's rotation by annotation, on the real API server, the real Kafka
 * and the User Operator stand-in. README: "set logpipe.dev/rotate-credentials: "<any new value>"
 * ... rotates that pipeline's own users once". The API server accepts annotations up to 256 KiB in
 * total per object; the operator records the handled value verbatim on the credentials Secret,
 * under a key one character longer ({@code rotated-} vs {@code rotate-}). A value that fits the
 * LogPipeline but not the Secret: the operator has already had Strimzi renew the Kafka password
 * (the user Secret deleted, a new SCRAM credential set on the broker), then cannot write the
 * credentials Secret, so the pods keep a Kafka password the broker no longer accepts, with no end.
 * This test asks for the documented outcome: the rotation completes and the password the pods read
 * is one Kafka accepts.
 */
class SandboxRotationStallIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final PipelineNames A = PipelineNames.of("team-a", "app", "logs_");
  static final int ANNOTATIONS_LIMIT = 256 * 1024; // apimachinery TotalAnnotationSizeLimitB

  @TempDir Path dir;

  @Test
  void aRotationRequestTheApiServerAcceptsCompletesAndLeavesThePodsAWorkingKafkaPassword()
      throws Exception {
    SandboxOptions options = new SandboxOptions(REPO, dir, null, 0, 0, false, false, true);
    try (Sandbox sandbox = new Sandbox(options).start(s -> System.out.println("sandbox: " + s))) {
      KubernetesClient client = sandbox.client();
      apply(client);
      PipelineWatch a = new PipelineWatch(client, A.namespace(), A.name());
      await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(a::ready);
      String scram = sandbox.services().kafkaScramBootstrap();
      String user = KafkaUserFactory.workerUser(A);
      String before = podsPassword(client);
      assertThat(kafkaAccepts(scram, user, before)).isTrue();

      // The largest value the API server lets the LogPipeline carry.
      LogPipeline current =
          client.resources(LogPipeline.class).inNamespace(A.namespace()).withName(A.name()).get();
      int used =
          current.getMetadata().getAnnotations() == null
              ? 0
              : current.getMetadata().getAnnotations().entrySet().stream()
                  .mapToInt(e -> e.getKey().length() + e.getValue().length())
                  .sum();
      String value = "r".repeat(ANNOTATIONS_LIMIT - used - CredentialRotation.REQUEST.length());
      client
          .resources(LogPipeline.class)
          .inNamespace(A.namespace())
          .withName(A.name())
          .edit(
              p -> {
                p.getMetadata().getAnnotations().put(CredentialRotation.REQUEST, value);
                return p;
              });

      // Awaited as true-or-false so a timeout prints no password.
      Duration wait = Duration.ofSeconds(90);
      try {
        await()
            .atMost(wait)
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () ->
                    CredentialRotation.fingerprint(value)
                            .equals(CredentialRotation.handled(credentials(client)))
                        && !podsPassword(client).equals(before)
                        && accepts(scram, user, podsPassword(client)));
      } finally {
        var c = a.conditions().get("CredentialsReady");
        System.out.printf(
            "after %s: CredentialsReady=%s (%s) %s%n"
                + "strimzi renewed=%s, credentials Secret updated=%s, Kafka accepts the pods'"
                + " password=%s%n",
            wait,
            c.status(),
            c.reason(),
            c.message(),
            !before.equals(strimziPassword(client, user)),
            !before.equals(podsPassword(client)),
            accepts(scram, user, podsPassword(client)));
        System.out.println(
            "writing the value as the operator records it: " + recordable(client, value));
      }
    }
  }

  private static void apply(KubernetesClient client) throws Exception {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(A.namespace())
                .withLabels(Map.of("logging", "enabled"))
                .endMetadata()
                .build())
        .serverSideApply();
    LogPipeline pipeline =
        client
            .getKubernetesSerialization()
            .unmarshal(
                Files.readString(REPO.resolve("examples/logpipeline-quickstart.yaml")),
                LogPipeline.class);
    pipeline.getMetadata().setNamespace(A.namespace());
    pipeline.getMetadata().setName(A.name());
    pipeline.getSpec().getGateway().setEnabled(false);
    client.resource(pipeline).create();
  }

  /** What the API server answers to a Secret carrying the value as the handled-request mark. */
  private static String recordable(KubernetesClient client, String value) {
    try {
      client
          .secrets()
          .resource(
              new io.fabric8.kubernetes.api.model.SecretBuilder()
                  .withNewMetadata()
                  .withName("probe-handled-mark")
                  .withNamespace(A.namespace())
                  .withAnnotations(Map.of(CredentialRotation.HANDLED, value))
                  .endMetadata()
                  .build())
          .create();
      return "accepted";
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      String m =
          String.valueOf(e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
      return e.getCode() + " " + m.substring(0, Math.min(200, m.length()));
    }
  }

  private static Secret credentials(KubernetesClient client) {
    return client.secrets().inNamespace(A.namespace()).withName(A.credentialsSecret()).get();
  }

  /** The worker's Kafka password as its pods read it. */
  private static String podsPassword(KubernetesClient client) {
    return decode(credentials(client).getData().get("LOGPIPE_KAFKA_WORKER_PASSWORD"));
  }

  private static String strimziPassword(KubernetesClient client, String user) {
    Secret s = client.secrets().inNamespace("kafka").withName(user).get();
    return s == null ? null : decode(s.getData().get("password"));
  }

  private static boolean accepts(String bootstrap, String user, String password) {
    try {
      return kafkaAccepts(bootstrap, user, password);
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean kafkaAccepts(String bootstrap, String user, String password)
      throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "SCRAM-SHA-512",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                    + user
                    + "\" password=\""
                    + password
                    + "\";"))) {
      admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS);
      return true;
    }
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
