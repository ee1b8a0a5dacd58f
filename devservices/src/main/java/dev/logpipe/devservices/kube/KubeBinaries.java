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

  /** How long {@link #locate()} waits for a control-plane build bin/test started. */
  static final java.time.Duration BUILD_WAIT = java.time.Duration.ofMinutes(30);

  public static KubeBinaries locate() {
    String assets = System.getenv("KUBEBUILDER_ASSETS");
    boolean fromAssets = assets != null && !assets.isBlank();
    Path dir = fromAssets ? Path.of(assets) : cacheDir();
    if (!fromAssets) {
      awaitBackgroundBuild(dir);
    }
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
                      + " holding etcd, kube-apiserver and kube-controller-manager"
                      + buildLog(dir)));
    }
    return binaries;
  }

  /** bin/setup's cache folder for {@link #KUBERNETES_VERSION}. */
  public static Path cacheDir() {
    String configured = System.getenv("LOGPIPE_KUBE_DIR");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return dev.logpipe.devservices.process.UserHome.path()
        .resolve(Path.of(".cache", "logpipe", "kube", KUBERNETES_VERSION));
  }

  /**
   * bin/test starts bin/setup's control-plane build in the background ({@code <dir>.building} holds
   * its PID while it runs): wait for it rather than fail, at most {@link #BUILD_WAIT}. A failed
   * build leaves no binaries, and {@link #locate()} then names its log.
   */
  static void awaitBackgroundBuild(Path dir) {
    Path marker = dir.resolveSibling(dir.getFileName() + ".building");
    long deadline = System.nanoTime() + BUILD_WAIT.toNanos();
    long announced = 0;
    while (building(marker) && System.nanoTime() < deadline) {
      if (System.nanoTime() - announced > java.time.Duration.ofMinutes(1).toNanos()) {
        System.err.println(
            "waiting for bin/setup's control-plane build (log "
                + dir.resolveSibling(dir.getFileName() + ".build.log")
                + ")");
        announced = System.nanoTime();
      }
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static String buildLog(Path dir) {
    Path log = dir.resolveSibling(dir.getFileName() + ".build.log");
    return Files.exists(log) ? " (the last background build's log: " + log + ")" : "";
  }

  private static boolean building(Path marker) {
    try {
      long pid = Long.parseLong(Files.readString(marker).strip());
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (java.io.IOException | NumberFormatException e) {
      return false;
    }
  }
}
