package dev.logpipe.sandbox.pods;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Secret;

/** One env var's value as the kubelet resolves it; null when an optional source is missing. */
final class EnvResolver {
  private EnvResolver() {}

  static String value(
      String namespace, String podName, EnvVar var, PodLaunchFactory.Objects objects) {
    EnvVarSource from = var.getValueFrom();
    if (from == null) {
      return var.getValue() == null ? "" : var.getValue();
    }
    if (from.getSecretKeyRef() != null) {
      var ref = from.getSecretKeyRef();
      Secret secret = objects.secret(namespace, ref.getName());
      String data =
          secret == null || secret.getData() == null ? null : secret.getData().get(ref.getKey());
      if (data == null && secret != null && secret.getStringData() != null) {
        return secret.getStringData().get(ref.getKey());
      }
      return data != null
          ? PodLaunchFactory.decode(data)
          : missing(var, "Secret", ref.getName(), ref.getKey(), ref.getOptional());
    }
    if (from.getConfigMapKeyRef() != null) {
      var ref = from.getConfigMapKeyRef();
      ConfigMap map = objects.configMap(namespace, ref.getName());
      String data = map == null || map.getData() == null ? null : map.getData().get(ref.getKey());
      return data != null
          ? data
          : missing(var, "ConfigMap", ref.getName(), ref.getKey(), ref.getOptional());
    }
    if (from.getFieldRef() != null) {
      return switch (from.getFieldRef().getFieldPath()) {
        case "metadata.name" -> podName;
        case "metadata.namespace" -> namespace;
        case "status.podIP", "status.hostIP" -> "127.0.0.1";
        default -> "";
      };
    }
    return null;
  }

  private static String missing(
      EnvVar var, String kind, String name, String key, Boolean optional) {
    if (Boolean.TRUE.equals(optional)) {
      return null;
    }
    throw new PodLaunchFactory.NotStartable(
        "env "
            + var.getName()
            + ": "
            + kind
            + " "
            + name
            + " has no key "
            + key
            + " (or does not exist)");
  }
}
