package dev.logpipe.operator.model;

import dev.logpipe.operator.api.v1alpha1.ClusterLogBackend;
import dev.logpipe.operator.api.v1alpha1.LogPipeline;
import dev.logpipe.worker.config.LogTableSchema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every name derived from one LogPipeline. Namespace and name must be DNS labels (at most 63
 * characters, no dots, as the CRD enforces): dots would make {@code a.b} and {@code a-b} share a
 * table. With that, topic names stay under 140 characters (Kafka allows 249).
 *
 * <p>ClickHouse names are injective: no two (database prefix, namespace, name) share a table on one
 * server, whichever backends they come through (see {@link StorageNames}). The plain names of
 * earlier versions ({@code <prefix><namespace>.<name>}, '-' as '_') are kept wherever they are
 * unambiguous, which covers the usual prefixes such as {@code logs_}.
 */
public record PipelineNames(
    String namespace,
    String name,
    String topic,
    String deadLetterTopic,
    String groupId,
    String database,
    String table,
    String redisKeyPrefix) {
  /** Label keys on every child (and on the worker and gateway pods). */
  public static final String COMPONENT = "app.kubernetes.io/component";

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String PIPELINE_NAME = "logpipe.dev/pipeline-name";
  public static final String PIPELINE_NAMESPACE = "logpipe.dev/pipeline-namespace";
  public static final String OPERATOR = "logpipe-operator";
  static final int MAX_TOPIC = 249;
  static final int MAX_IDENTIFIER = 63;
  static final int MAX_TABLE = MAX_IDENTIFIER - LogTableSchema.OFFSETS_SUFFIX.length();
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  public static PipelineNames of(LogPipeline pipeline, ClusterLogBackend backend) {
    return of(
        pipeline.getMetadata().getNamespace(),
        pipeline.getMetadata().getName(),
        backend.getSpec().getClickhouse().getDatabasePrefix());
  }

  public static PipelineNames of(String namespace, String name, String databasePrefix) {
    requireDnsLabel("namespace", namespace);
    requireDnsLabel("LogPipeline name", name);
    String topic = "logpipe." + namespace + "." + name;
    if (topic.length() + ".dlq".length() > MAX_TOPIC) {
      throw new IllegalStateException("topic name longer than Kafka allows: " + topic);
    }
    String database = StorageNames.database(databasePrefix, namespace);
    String table = StorageNames.table(name);
    return new PipelineNames(
        namespace,
        name,
        topic,
        topic + ".dlq",
        topic,
        database,
        table,
        "logpipe:" + namespace + ":" + name + ":");
  }

  /** namespace/name, as logs and messages show it. */
  public String qualifiedName() {
    return namespace + "/" + name;
  }

  public String workerDeployment() {
    return fit(name + "-worker", MAX_IDENTIFIER);
  }

  public String configMap() {
    return fit(name + "-pipeline-config", MAX_IDENTIFIER);
  }

  public String credentialsSecret() {
    return fit(name + "-credentials", MAX_IDENTIFIER);
  }

  /**
   * The pipeline's own user on the backends that have per-pipeline users (Redis ACL today): {@code
   * logpipe.<namespace>.<name>}. Namespace and name are DNS labels without dots, so no two
   * pipelines share a user, and the name has only [a-z0-9.-], safe in any backend's user names.
   */
  public String backendUser() {
    return "logpipe." + namespace + "." + name;
  }

  public String gatewayDeployment() {
    return fit(name + "-gateway", MAX_IDENTIFIER);
  }

  /**
   * Service names must start with a letter (RFC 1035), while a pipeline name may start with a
   * digit; such a pipeline cannot have a gateway.
   *
   * @throws InvalidPipelineException when the gateway Service could not be named
   */
  public void requireGatewayServiceName() {
    if (!Character.isLetter(name.charAt(0))) {
      throw new InvalidPipelineException(
          "LogPipeline name '"
              + name
              + "' starts with a digit, so it cannot name the gateway Service (Service names"
              + " start with a letter); set spec.gateway.enabled to false or use a name that"
              + " starts with a letter");
    }
  }

  /** The gateway's Service; same name as its Deployment. */
  public String gatewayService() {
    return gatewayDeployment();
  }

  public String gatewayTokenSecret() {
    return fit(name + "-gateway-token", MAX_IDENTIFIER);
  }

  /** In-cluster URL of the gateway Service (port 80). */
  public String gatewayUrl() {
    return "http://" + gatewayService() + "." + namespace + ".svc";
  }

  /** Labels on every child; {@code component} is e.g. worker, config, topic. */
  public Map<String, String> labels(String component) {
    Map<String, String> labels = new LinkedHashMap<>(selectorLabels(component));
    labels.put("app.kubernetes.io/part-of", "logpipe");
    labels.put(MANAGED_BY, OPERATOR);
    labels.put(PIPELINE_NAMESPACE, namespace);
    labels.put(PIPELINE_NAME, name);
    return labels;
  }

  /**
   * The subset that selects pods: stable for the life of the pipeline (selectors are immutable).
   */
  public Map<String, String> selectorLabels(String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "logpipe");
    labels.put("app.kubernetes.io/instance", name);
    labels.put(COMPONENT, component);
    return labels;
  }

  private static void requireDnsLabel(String what, String value) {
    if (value == null || !DNS_LABEL.matcher(value).matches()) {
      throw new InvalidPipelineException(
          what
              + " '"
              + value
              + "' is not usable: it must be at most 63 lower-case letters, digits and '-',"
              + " starting and ending with a letter or digit (no dots)");
    }
  }

  /** Cuts {@code value} to {@code max} characters, ending in 8 hex digits of its SHA-256. */
  static String fit(String value, int max) {
    if (value.length() <= max) {
      return value;
    }
    return value.substring(0, max - 9) + "-" + sha256(value).substring(0, 8);
  }

  static String sha256(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
