package dev.logpipe.sandbox;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.strimzi.api.kafka.Crds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Installs the CRDs before anything else touches the API: logpipe's generated ones from {@code
 * crds/} and Strimzi's KafkaTopic. Without its CRD the mock stores a kind without status
 * subresource semantics.
 */
public final class CrdInstaller {
  private CrdInstaller() {}

  /** Returns the names of the CRDs created. */
  public static List<String> install(KubernetesClient client, Path crdDir) {
    List<CustomResourceDefinition> crds = new ArrayList<>(read(client, crdDir));
    crds.add(Crds.kafkaTopic());
    List<String> names = new ArrayList<>();
    for (CustomResourceDefinition crd : crds) {
      crd.getMetadata().setResourceVersion(null);
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(crd)
          .createOr(c -> c.update());
      names.add(crd.getMetadata().getName());
    }
    return names;
  }

  private static List<CustomResourceDefinition> read(KubernetesClient client, Path crdDir) {
    try (Stream<Path> files = Files.list(crdDir)) {
      List<CustomResourceDefinition> crds = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        crds.add(
            client
                .getKubernetesSerialization()
                .unmarshal(Files.readString(file), CustomResourceDefinition.class));
      }
      if (crds.isEmpty()) {
        throw new IllegalStateException("no CRD YAML in " + crdDir);
      }
      return crds;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CRDs from " + crdDir, e);
    }
  }
}
