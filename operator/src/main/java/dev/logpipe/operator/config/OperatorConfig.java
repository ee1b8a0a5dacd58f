package dev.logpipe.operator.config;

import dev.logpipe.operator.model.WorkerImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator's settings, parsed from a map (the process environment in production) so tests build
 * one without touching the environment. Every problem is reported at once, naming the variable.
 *
 * @param watchNamespaces namespaces whose LogPipelines are reconciled; empty means all
 * @param kafkaNamespaces namespaces of the Strimzi clusters where KafkaTopics are created and
 *     watched; empty means all (the chart then grants KafkaTopics cluster-wide)
 * @param operatorNamespace where the backends' credential Secrets live (and the leader lease)
 */
public record OperatorConfig(
    Set<String> watchNamespaces,
    Set<String> kafkaNamespaces,
    int reconcileThreads,
    Duration resyncPeriod,
    WorkerImage workerImage,
    String operatorNamespace,
    boolean leaderElection,
    String leaseName,
    int httpPort) {

  public static final String WATCH_NAMESPACES = "LOGPIPE_WATCH_NAMESPACES";
  public static final String KAFKA_NAMESPACES = "LOGPIPE_KAFKA_NAMESPACES";
  public static final String RECONCILE_THREADS = "LOGPIPE_RECONCILE_THREADS";
  public static final String RESYNC_SECONDS = "LOGPIPE_RESYNC_SECONDS";
  public static final String WORKER_IMAGE = "LOGPIPE_WORKER_IMAGE";
  public static final String WORKER_IMAGE_PULL_POLICY = "LOGPIPE_WORKER_IMAGE_PULL_POLICY";
  public static final String OPERATOR_NAMESPACE = "LOGPIPE_OPERATOR_NAMESPACE";
  public static final String LEADER_ELECTION = "LOGPIPE_LEADER_ELECTION";
  public static final String HTTP_PORT = "LOGPIPE_HTTP_PORT";

  public static final String DEFAULT_WORKER_IMAGE = "ghcr.io/logpipe/pipeline-worker:latest";
  public static final String LEASE_NAME = "logpipe-operator";

  /** Thrown with every invalid variable listed. */
  public static final class InvalidConfigException extends RuntimeException {
    InvalidConfigException(List<String> problems) {
      super("Invalid operator configuration: " + String.join("; ", problems));
    }
  }

  public static OperatorConfig fromEnv(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    Set<String> namespaces = list(env, WATCH_NAMESPACES);
    Set<String> kafkaNamespaces = list(env, KAFKA_NAMESPACES);
    int threads = integer(env, RECONCILE_THREADS, 10, 1, 200, problems);
    int resync = integer(env, RESYNC_SECONDS, 60, 5, 3600, problems);
    int port = integer(env, HTTP_PORT, 8080, 0, 65535, problems);
    boolean leader = bool(env, LEADER_ELECTION, true, problems);
    String operatorNamespace = env.getOrDefault(OPERATOR_NAMESPACE, "logpipe-system").trim();
    if (operatorNamespace.isEmpty()) {
      problems.add(OPERATOR_NAMESPACE + " must name the operator's namespace");
    }
    WorkerImage image = null;
    try {
      image =
          new WorkerImage(
              env.getOrDefault(WORKER_IMAGE, DEFAULT_WORKER_IMAGE).trim(),
              env.getOrDefault(WORKER_IMAGE_PULL_POLICY, "IfNotPresent").trim());
    } catch (IllegalArgumentException e) {
      problems.add(WORKER_IMAGE + "/" + WORKER_IMAGE_PULL_POLICY + ": " + e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
    return new OperatorConfig(
        namespaces,
        kafkaNamespaces,
        threads,
        Duration.ofSeconds(resync),
        image,
        operatorNamespace,
        leader,
        LEASE_NAME,
        port);
  }

  public boolean watchesAllNamespaces() {
    return watchNamespaces.isEmpty();
  }

  private static Set<String> list(Map<String, String> env, String key) {
    Set<String> out = new LinkedHashSet<>();
    Arrays.stream(env.getOrDefault(key, "").split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .forEach(out::add);
    return Set.copyOf(out);
  }

  private static int integer(
      Map<String, String> env, String key, int fallback, int min, int max, List<String> problems) {
    String raw = env.get(key);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value < min || value > max) {
        problems.add(key + " must be between " + min + " and " + max + ", was " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      problems.add(key + " must be a whole number, was '" + raw + "'");
      return fallback;
    }
  }

  private static boolean bool(
      Map<String, String> env, String key, boolean fallback, List<String> problems) {
    String raw = env.get(key);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    return switch (raw.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        problems.add(key + " must be true or false, was '" + raw + "'");
        yield fallback;
      }
    };
  }
}
