package dev.logpipe.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kubeconfig the sandbox prints for a person: the control plane's admin kubeconfig with the
 * example pipeline's namespace as the default, so {@code kubectl get lp} shows it.
 */
final class UserKubeconfig {
  private UserKubeconfig() {}

  static Path write(Path admin, Path target, String namespace) {
    try {
      String yaml = Files.readString(admin);
      // KubeControlPlane writes one context with "namespace: default"; anything else is a change
      // there that this must follow, not guess around.
      String rewritten = yaml.replace("namespace: default\n", "namespace: " + namespace + "\n");
      if (rewritten.equals(yaml)) {
        throw new IllegalStateException("no default namespace to replace in " + admin);
      }
      Files.writeString(target, rewritten);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }
}
