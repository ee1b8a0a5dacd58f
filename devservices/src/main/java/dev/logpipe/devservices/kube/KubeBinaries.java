package dev.logpipe.devservices.kube;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where etcd, kube-apiserver and kube-controller-manager are: the folder named by {@code
 * KUBEBUILDER_ASSETS} (the envtest convention) when set, else the cache {@code bin/setup} builds
 * them into from the Go module proxy ({@code ~/.cache/logpipe/kube/<version>}, or {@code
 * LOGPIPE_KUBE_DIR}). Never falls back to anything else: a missing binary fails with what to run.
 */
public record KubeBinaries(Path etcd, Path apiServer, Path controllerManager) {
  /** The Kubernetes release bin/setup builds (controlplane/go.mod pins the same). */
  public static final String KUBERNETES_VERSION = "v1.33.13";

  public static KubeBinaries locate() {
    String assets = System.getenv("KUBEBUILDER_ASSETS");
    boolean fromAssets = assets != null && !assets.isBlank();
    Path dir = fromAssets ? Path.of(assets) : cacheDir();
    KubeBinaries binaries =
        new KubeBinaries(
            dir.resolve("etcd"),
            dir.resolve("kube-apiserver"),
            dir.resolve("kube-controller-manager"));
    List<String> missing = new ArrayList<>();
    for (Path p : List.of(binaries.etcd, binaries.apiServer, binaries.controllerManager)) {
      if (!Files.isExecutable(p)) {
        missing.add(p.getFileName().toString());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "Kubernetes control plane binaries "
              + missing
              + " not found in "
              + dir
              + (fromAssets
                  ? " (named by KUBEBUILDER_ASSETS): put etcd, kube-apiserver and"
                      + " kube-controller-manager there, or unset it to use bin/setup's build"
                  : ": run bin/setup (it builds Kubernetes "
                      + KUBERNETES_VERSION
                      + " from the Go module proxy), or set KUBEBUILDER_ASSETS to a folder"
                      + " holding etcd, kube-apiserver and kube-controller-manager"));
    }
    return binaries;
  }

  /** bin/setup's cache folder for {@link #KUBERNETES_VERSION}. */
  public static Path cacheDir() {
    String configured = System.getenv("LOGPIPE_KUBE_DIR");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(
        System.getProperty("user.home"), ".cache", "logpipe", "kube", KUBERNETES_VERSION);
  }
}
