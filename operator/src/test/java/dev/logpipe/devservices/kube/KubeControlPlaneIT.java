package dev.logpipe.devservices.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane starts on loopback, a stock kubectl talks to it with the admin kubeconfig, a
 * write survives a restart of every component, and nothing outlives stop(). Prints start times and
 * RSS. It lives in the operator module, the first whose tests need the control plane: bin/test
 * builds the control plane beside the devservices and pipeline-worker tests (KubeBinaries waits for
 * it).
 */
class KubeControlPlaneIT {

  @Test
  void startsServesKubectlKeepsDataAcrossARestartAndStopsByPid(@TempDir Path dir) throws Exception {
    KubeControlPlane plane = new KubeControlPlane(dir, true);
    long t0 = System.nanoTime();
    plane.start();
    long startedMs = (System.nanoTime() - t0) / 1_000_000;
    List<Long> pids = List.copyOf(plane.pids().values());
    assertThat(plane.pids()).containsOnlyKeys("etcd", "kube-apiserver", "kube-controller-manager");
    System.out.printf(
        "control plane ready in %d ms (controllers running), RSS %d MB%n",
        startedMs, pids.stream().mapToLong(KubeControlPlaneIT::rssKb).sum() / 1024);
    assertThat(plane.endpoint()).startsWith("https://127.0.0.1:");

    assertThat(kubectl(plane, "create", "namespace", "survives-restart")).contains("created");
    assertThat(kubectl(plane, "get", "namespaces", "-o", "name"))
        .contains("namespace/survives-restart", "namespace/kube-system");
    // RBAC is on: a user without bindings is refused by the real authorizer.
    assertThat(kubectl(plane, "auth", "can-i", "get", "secrets", "--as", "nobody", "-n", "default"))
        .contains("no");

    plane.stop();
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("pid %d", pid)
          .isFalse();
    }
    t0 = System.nanoTime();
    plane.start();
    System.out.printf("restarted in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    assertThat(kubectl(plane, "get", "namespace", "survives-restart", "-o", "name"))
        .contains("namespace/survives-restart");
    plane.stop();
  }

  private static String kubectl(KubeControlPlane plane, String... args)
      throws IOException, InterruptedException {
    String kubectl = System.getenv("LOGPIPE_KUBECTL");
    if (kubectl == null || kubectl.isBlank()) {
      kubectl =
          dev.logpipe.devservices.process.UserHome.path()
              .resolve(".cache/logpipe/kubectl/1.32.3/kubectl")
              .toString();
    }
    List<String> command =
        new java.util.ArrayList<>(List.of(kubectl, "--kubeconfig", plane.kubeconfig().toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  private static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return 0;
  }
}
