package dev.logpipe.sandbox.pods;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a pod template into a {@link PodLaunch}, doing the kubelet's part: ConfigMap, Secret and
 * emptyDir volumes become directories under the pod's directory (args and env that name a mount
 * path are rewritten to it), env is resolved from literals, secretKeyRef, configMapKeyRef, fieldRef
 * and envFrom, and the container port becomes a free loopback port in {@code LOGPIPE_HTTP_PORT}
 * (all pods share the host's network).
 */
public final class PodLaunchFactory {
  /** Reads a Secret or ConfigMap of the pod's namespace; null when absent. */
  public interface Objects {
    Secret secret(String namespace, String name);

    ConfigMap configMap(String namespace, String name);
  }

  /** What the status says of a pod's other containers. */
  static final String ONE_CONTAINER = "the sandbox node runs only a pod's first container";

  /**
   * A pod that cannot start (yet), with the kubelet's waiting reason: CreateContainerConfigError
   * for a missing ConfigMap, Secret or key (retried), CreateContainerError for an image the sandbox
   * cannot run.
   */
  public static final class NotStartable extends RuntimeException {
    private final String reason;

    NotStartable(String message) {
      this("CreateContainerConfigError", message);
    }

    NotStartable(String reason, String message) {
      super(message);
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  private final Objects objects;
  private final String image;

  /**
   * @param image the only image the sandbox runs (as a local pipeline-worker JVM): the operator's
   *     worker image
   */
  public PodLaunchFactory(Objects objects, String image) {
    this.objects = objects;
    this.image = image;
  }

  public PodLaunch create(String namespace, String podName, PodSpec spec, Path podDir, int port) {
    if (spec.getContainers() == null || spec.getContainers().isEmpty()) {
      throw new NotStartable("CreateContainerError", "the pod has no container");
    }
    Container container = spec.getContainers().get(0);
    if (!image.equals(container.getImage())) {
      throw new NotStartable(
          "CreateContainerError",
          "the sandbox node runs only "
              + image
              + " (as a local pipeline-worker process), not "
              + container.getImage());
    }
    Map<String, Path> mounts = mounts(namespace, spec, container, podDir);
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource from : list(container.getEnvFrom())) {
      env.putAll(envFrom(namespace, from));
    }
    for (EnvVar var : list(container.getEnv())) {
      String value = EnvResolver.value(namespace, podName, var, objects);
      if (value != null) {
        env.put(var.getName(), rewrite(value, mounts));
      }
    }
    env.put("LOGPIPE_HTTP_PORT", String.valueOf(port));
    env.put("LOGPIPE_HTTP_HOST", "127.0.0.1");
    env.put("HOSTNAME", podName);
    List<String> args = new ArrayList<>();
    for (String arg : list(container.getArgs())) {
      args.add(rewrite(arg, mounts));
    }
    String readiness =
        container.getReadinessProbe() != null && container.getReadinessProbe().getHttpGet() != null
            ? container.getReadinessProbe().getHttpGet().getPath()
            : "/readyz";
    return new PodLaunch(
        podName, podDir, args, env, port, readiness, maxHeap(container), cpuMillicores(container));
  }

  private Map<String, Path> mounts(
      String namespace, PodSpec spec, Container container, Path podDir) {
    Map<String, Path> mounts = new LinkedHashMap<>();
    for (VolumeMount mount : list(container.getVolumeMounts())) {
      Volume volume =
          list(spec.getVolumes()).stream()
              .filter(v -> v.getName().equals(mount.getName()))
              .findFirst()
              .orElseThrow(() -> new NotStartable("volume " + mount.getName() + " is not defined"));
      Path dir = podDir.resolve("volumes").resolve(volume.getName());
      write(dir, VolumeFiles.of(namespace, volume, objects));
      mounts.put(mount.getMountPath(), dir);
    }
    return mounts;
  }

  private Map<String, String> envFrom(String namespace, EnvFromSource from) {
    String prefix = from.getPrefix() == null ? "" : from.getPrefix();
    Map<String, String> values = new LinkedHashMap<>();
    if (from.getConfigMapRef() != null) {
      ConfigMap map = objects.configMap(namespace, from.getConfigMapRef().getName());
      if (map != null && map.getData() != null) {
        map.getData().forEach((k, v) -> values.put(prefix + k, v));
      }
    }
    if (from.getSecretRef() != null) {
      Secret secret = objects.secret(namespace, from.getSecretRef().getName());
      if (secret != null && secret.getData() != null) {
        secret.getData().forEach((k, v) -> values.put(prefix + k, decode(v)));
      }
    }
    return values;
  }

  /** Replaces a leading mount path (the path itself or below it) with the local directory. */
  static String rewrite(String value, Map<String, Path> mounts) {
    for (Map.Entry<String, Path> m : mounts.entrySet()) {
      String mountPath =
          m.getKey().endsWith("/") ? m.getKey().substring(0, m.getKey().length() - 1) : m.getKey();
      if (value.equals(mountPath)) {
        return m.getValue().toString();
      }
      if (value.startsWith(mountPath + "/")) {
        return m.getValue().resolve(value.substring(mountPath.length() + 1)).toString();
      }
    }
    return value;
  }

  private static void write(Path dir, Map<String, byte[]> files) {
    try {
      Files.createDirectories(dir);
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        Files.write(dir.resolve(file.getKey()), file.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write volume " + dir, e);
    }
  }

  /** {@code -Xmx} from the memory limit (three quarters of it), else a sandbox default. */
  private static String maxHeap(Container container) {
    Quantity limit =
        container.getResources() == null || container.getResources().getLimits() == null
            ? null
            : container.getResources().getLimits().get("memory");
    if (limit == null) {
      return "256m";
    }
    long bytes = Quantity.getAmountInBytes(limit).longValue();
    return Math.max(64, bytes * 3 / 4 / (1024 * 1024)) + "m";
  }

  /** The CPU limit in millicores (rounded up, at least 1), 0 when there is none. */
  static long cpuMillicores(Container container) {
    Quantity limit =
        container.getResources() == null || container.getResources().getLimits() == null
            ? null
            : container.getResources().getLimits().get("cpu");
    if (limit == null) {
      return 0;
    }
    java.math.BigDecimal cores = Quantity.getAmountInBytes(limit);
    return Math.max(
        1,
        cores
            .multiply(java.math.BigDecimal.valueOf(1000))
            .setScale(0, java.math.RoundingMode.CEILING)
            .longValue());
  }

  static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : list;
  }
}
