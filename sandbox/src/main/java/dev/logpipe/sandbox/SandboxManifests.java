package dev.logpipe.sandbox;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the sandbox applies: the example namespace, the backend's Secret, the example
 * ClusterLogBackend pointed at the local services, and the quick-start LogPipeline (with the
 * gateway switched on when asked). The two rewritten manifests are written to {@code
 * dir/manifests/} so a person can see and re-apply exactly what was used.
 */
public final class SandboxManifests {
  public static final String OPERATOR_NAMESPACE = "logpipe-system";
  public static final String CLICKHOUSE_SECRET = "clickhouse-admin";

  private final KubernetesClient client;
  private final Path examples;
  private final Path out;

  public SandboxManifests(KubernetesClient client, Path repoRoot, Path dir) {
    this.client = client;
    this.examples = repoRoot.resolve("examples");
    this.out = dir.resolve("manifests");
  }

  /** The namespaces and the ClickHouse credentials Secret the example backend names. */
  public void prerequisites(String clickHouseUser, String clickHousePassword) {
    for (String ns : List.of(OPERATOR_NAMESPACE, "kafka")) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .serverSideApply();
    }
    apply(read("namespace-team-payments.yaml"));
    client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(CLICKHOUSE_SECRET)
                .withNamespace(OPERATOR_NAMESPACE)
                .endMetadata()
                .withStringData(Map.of("username", clickHouseUser, "password", clickHousePassword))
                .build())
        .serverSideApply();
  }

  /**
   * The example backend with the local endpoints (Redis without credentials, as it runs).
   *
   * @param kafkaScramBootstrap the dev Kafka's SCRAM-SHA-512 listener, for per-pipeline Kafka users
   *     ({@code spec.kafka.authentication}); null: plaintext without users
   */
  @SuppressWarnings("unchecked")
  public Path backend(
      String kafkaBootstrap, String kafkaScramBootstrap, String clickHouseUrl, String redisUrl) {
    Map<String, Object> backend = read("cluster-log-backend.yaml");
    Map<String, Object> spec = (Map<String, Object>) backend.get("spec");
    Map<String, Object> kafka = (Map<String, Object>) spec.get("kafka");
    kafka.put("bootstrapServers", kafkaBootstrap);
    if (kafkaScramBootstrap != null) {
      kafka.put(
          "authentication",
          new LinkedHashMap<>(
              Map.of("type", "scram-sha-512", "bootstrapServers", kafkaScramBootstrap)));
    } else {
      kafka.remove("authentication");
    }
    ((Map<String, Object>) spec.get("clickhouse")).put("url", clickHouseUrl);
    Map<String, Object> redis = (Map<String, Object>) spec.get("redis");
    redis.put("url", redisUrl);
    redis.remove("credentialsSecret");
    return write("cluster-log-backend.yaml", apply(backend));
  }

  /** The quick-start pipeline, with {@code spec.gateway.enabled} when asked. */
  @SuppressWarnings("unchecked")
  public Path pipeline(boolean gateway) {
    Map<String, Object> pipeline = read("logpipeline-quickstart.yaml");
    if (gateway) {
      Map<String, Object> spec = (Map<String, Object>) pipeline.get("spec");
      spec.put("gateway", new LinkedHashMap<>(Map.of("enabled", true)));
    }
    return write("logpipeline.yaml", apply(pipeline));
  }

  private Map<String, Object> apply(Map<String, Object> manifest) {
    GenericKubernetesResource resource =
        client.getKubernetesSerialization().convertValue(manifest, GenericKubernetesResource.class);
    HasMetadata applied = client.resource(resource).serverSideApply();
    return manifest;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> read(String example) {
    try {
      return client
          .getKubernetesSerialization()
          .unmarshal(Files.readString(examples.resolve(example)), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + examples.resolve(example), e);
    }
  }

  private Path write(String name, Map<String, Object> manifest) {
    try {
      Files.createDirectories(out);
      Path file = out.resolve(name);
      Files.writeString(file, client.getKubernetesSerialization().asYaml(manifest));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out.resolve(name), e);
    }
  }
}
