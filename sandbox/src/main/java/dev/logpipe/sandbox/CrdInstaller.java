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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Installs the CRDs through the API server before anything uses them, and waits until the server
 * serves each ({@code Established}): logpipe's generated ones from {@code crds/} and Strimzi's
 * KafkaTopic and KafkaUser (the stand-in topic and user operators' kinds).
 */
public final class CrdInstaller {
  static final long ESTABLISHED_SECONDS = 30;

  private CrdInstaller() {}

  /** Returns the names of the CRDs installed. */
  public static List<String> install(KubernetesClient client, Path crdDir) {
    List<CustomResourceDefinition> crds = new ArrayList<>(read(client, crdDir));
    crds.add(Crds.kafkaTopic());
    crds.add(Crds.kafkaUser());
    List<String> names = new ArrayList<>();
    for (CustomResourceDefinition crd : crds) {
      crd.getMetadata().setResourceVersion(null);
      client.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
      names.add(crd.getMetadata().getName());
    }
    for (String name : names) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(name)
          .waitUntilCondition(CrdInstaller::established, ESTABLISHED_SECONDS, TimeUnit.SECONDS);
    }
    return names;
  }

  static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
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
