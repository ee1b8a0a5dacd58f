package dev.logpipe.sandbox.pods;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The files a ConfigMap, Secret or emptyDir volume shows the container (file name to bytes). */
final class VolumeFiles {
  private VolumeFiles() {}

  static Map<String, byte[]> of(String namespace, Volume volume, PodLaunchFactory.Objects objects) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    if (volume.getConfigMap() != null) {
      ConfigMap map = objects.configMap(namespace, volume.getConfigMap().getName());
      if (map == null) {
        if (Boolean.TRUE.equals(volume.getConfigMap().getOptional())) {
          return files;
        }
        throw new PodLaunchFactory.NotStartable(
            "ConfigMap " + volume.getConfigMap().getName() + " not found");
      }
      Map<String, String> data = map.getData() == null ? Map.of() : map.getData();
      data.forEach((k, v) -> files.put(k, v.getBytes(StandardCharsets.UTF_8)));
      return select(files, volume.getConfigMap().getItems());
    }
    if (volume.getSecret() != null) {
      Secret secret = objects.secret(namespace, volume.getSecret().getSecretName());
      if (secret == null) {
        if (Boolean.TRUE.equals(volume.getSecret().getOptional())) {
          return files;
        }
        throw new PodLaunchFactory.NotStartable(
            "Secret " + volume.getSecret().getSecretName() + " not found");
      }
      Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
      data.forEach((k, v) -> files.put(k, Base64.getDecoder().decode(v)));
      return select(files, volume.getSecret().getItems());
    }
    // emptyDir and anything else: an empty directory
    return files;
  }

  private static Map<String, byte[]> select(Map<String, byte[]> all, List<KeyToPath> items) {
    if (items == null || items.isEmpty()) {
      return all;
    }
    Map<String, byte[]> selected = new LinkedHashMap<>();
    for (KeyToPath item : items) {
      if (all.containsKey(item.getKey())) {
        selected.put(item.getPath(), all.get(item.getKey()));
      }
    }
    return selected;
  }
}
