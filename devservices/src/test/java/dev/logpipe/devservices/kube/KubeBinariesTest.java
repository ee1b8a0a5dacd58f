package dev.logpipe.devservices.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** One Kubernetes version everywhere: bin/setup's pin, controlplane/go.mod and the Java side. */
class KubeBinariesTest {

  @Test
  void versionPinsAgree() throws Exception {
    String version = KubeBinaries.KUBERNETES_VERSION;
    assertThat(Files.readString(Path.of("../bin/setup"))).contains("KUBE_VERSION=" + version + " ");
    String goMod = Files.readString(Path.of("../controlplane/go.mod"));
    assertThat(goMod).contains("k8s.io/kubernetes " + version);
    // every staging module is replaced by the release of the same minor and patch
    String staging = "v0." + version.substring(3);
    assertThat(goMod).contains("k8s.io/api => k8s.io/api " + staging);
    assertThat(goMod.lines().filter(l -> l.contains("=> k8s.io/")))
        .allSatisfy(l -> assertThat(l).endsWith(" " + staging));
  }

  /** bin/test's background build: locate() waits while the marker names a live build. */
  @Test
  void waitsForABackgroundBuildThatIsStillRunning(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    Path dir = tmp.resolve("v1");
    Process build =
        new ProcessBuilder(
                "bash",
                "-c",
                "sleep 1; mkdir -p "
                    + dir
                    + "; for b in etcd kube-apiserver kube-controller-manager;"
                    + " do touch "
                    + dir
                    + "/$b; chmod +x "
                    + dir
                    + "/$b; done")
            .start();
    Files.writeString(tmp.resolve("v1.building"), Long.toString(build.pid()));
    KubeBinaries.awaitBackgroundBuild(dir);
    // ended (the JDK may still be reaping it: Process.isAlive() can lag ProcessHandle by a moment)
    assertThat(build.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(Files.isExecutable(dir.resolve("kube-apiserver"))).isTrue();
    // A marker whose build has ended (or never was) does not hold anyone up.
    long started = System.nanoTime();
    KubeBinaries.awaitBackgroundBuild(dir);
    assertThat(System.nanoTime() - started).isLessThan(java.time.Duration.ofSeconds(1).toNanos());
  }
}
